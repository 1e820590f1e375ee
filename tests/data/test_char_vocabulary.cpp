// data::CharVocabulary: sorted distinct bytes, encode / decode round trips, the tensor form, and
// refused bytes, ids and tensors.
#include "support.hpp"

using namespace descent;

TEST_CASE("CharVocabulary: sorted distinct bytes, encode and decode") {
    const auto v = data::CharVocabulary::of_text("hello world\n");
    CHECK(v.size() == 9);  // newline, space, d e h l o r w
    const std::string bytes(v.bytes().begin(), v.bytes().end());
    CHECK(bytes == "\n dehlorw");
    const Tensor ids = v.encode("hold");
    CHECK(ids.dtype() == kInt64);
    CHECK(ids.to_vector<int64_t>() == std::vector<int64_t>{4, 6, 5, 2});
    CHECK(v.decode(ids) == "hold");
    CHECK(v.decode(ids.reshape({2, 2})) == "hold");
    CHECK(v.contains('w'));
    CHECK_FALSE(v.contains('z'));
    // the tensor form travels in a state dict and gives the same vocabulary back
    const auto back = data::CharVocabulary::from_tensor(v.to_tensor());
    CHECK(back.bytes() == v.bytes());
    CHECK(back.decode(back.encode("world")) == "world");
}

TEST_CASE("CharVocabulary: refused bytes, ids and tensors") {
    const auto v = data::CharVocabulary::of_text("abc");
    CHECK_ERROR(ValueError, [&] { v.encode("abz"); }, {"encode()", "'z'", "offset 2", "3"});
    CHECK_ERROR(ValueError,
                [&] {
                    v.decode(tensor(std::vector<int64_t>{0, 3}));
                },
                {"decode()", "id 3", "position 1", "[0, 3)"});
    CHECK_ERROR(TypeError, [&] { v.decode(zeros({2})); }, {"decode()", "float32"});
    CHECK_ERROR(ValueError,
                [] {
                    data::CharVocabulary::from_tensor(tensor(std::vector<int64_t>{97, 97}));
                },
                {"from_tensor()", "entry 1", "97"});
    CHECK_ERROR(ValueError,
                [] { data::CharVocabulary::from_tensor(tensor(std::vector<int64_t>{300})); },
                {"from_tensor()", "300"});
    CHECK_ERROR(ValueError, [] { data::CharVocabulary::from_tensor(zeros({3})); },
                {"from_tensor()", "float32"});
}
