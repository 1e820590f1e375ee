// nn::ModuleList: children named "0", "1", ... (PyTorch's keys), typed access, refused indices.
#include "support.hpp"

using namespace descent;

TEST_CASE("ModuleList: PyTorch's key naming and typed access") {
    nn::ModuleList list;
    CHECK(list.empty());
    auto a = list.push_back(nn::Linear(3, 2));
    auto b = list.push_back(std::make_shared<nn::LayerNorm>(std::vector<int64_t>{2}));
    CHECK(list.size() == 2);
    std::string keys;
    for (auto& [name, t] : list.state_dict()) keys += name + " ";
    CHECK(keys == "0.weight 0.bias 1.weight 1.bias ");
    CHECK(list[1] == b);
    CHECK(list.at<nn::Linear>(0) == a);
    CHECK(list.modules().size() == 2);
    CHECK_ERROR(IndexError, [&] { list[2]; }, {"ModuleList[]", "2", "2 modules"});
    CHECK_ERROR(TypeError, [&] { list.at<nn::Linear>(1); }, {"ModuleList::at()", "LayerNorm"});
    // no forward of its own
    CHECK_ERROR(StateError, [&] { list(zeros({1, 3})); }, {"ModuleList"});
}
