// nn::ModuleDict: children under the dict's keys in insertion order, lookups, refused keys.
#include "support.hpp"

using namespace descent;

TEST_CASE("ModuleDict: keys as state-dict prefixes, lookups and refused keys") {
    nn::ModuleDict dict;
    dict.insert("encoder", nn::Linear(3, 2));
    auto head = dict.insert("head", std::make_shared<nn::Linear>(2, 1, false));
    CHECK(dict.size() == 2);
    CHECK(dict.keys() == std::vector<std::string>{"encoder", "head"});
    CHECK(dict.contains("head"));
    CHECK_FALSE(dict.contains("decoder"));
    CHECK(dict["head"] == head);
    std::string keys;
    for (auto& [name, t] : dict.state_dict()) keys += name + " ";
    CHECK(keys == "encoder.weight encoder.bias head.weight ");
    CHECK_ERROR(IndexError, [&] { dict["decoder"]; },
                {"ModuleDict[]", "\"decoder\"", "\"encoder\", \"head\""});
    CHECK_ERROR(ValueError, [&] { dict.insert("head", nn::Linear(1, 1)); }, {"\"head\""});
    CHECK_ERROR(ValueError, [&] { dict.insert("a.b", nn::Linear(1, 1)); }, {"\"a.b\""});
}
