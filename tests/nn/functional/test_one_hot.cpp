// one_hot as F.one_hot, and the int64-tensor targets of cross_entropy and nll_loss.
#include "support.hpp"

using namespace descent;
namespace F = descent::nn::functional;

TEST_CASE("one_hot turns int64 labels into int64 indicator rows") {
    const Tensor h = F::one_hot(tensor(std::vector<int64_t>{2, 0, 1}));
    CHECK(h.dtype() == kInt64);
    CHECK(h.shape() == Shape{3, 3});
    CHECK(h.to_vector<int64_t>() == std::vector<int64_t>{0, 0, 1, 1, 0, 0, 0, 1, 0});
    CHECK(F::one_hot(tensor(std::vector<int64_t>{1, 0, 0, 1}, {2, 2}, kInt64), 4).shape() ==
          Shape{2, 2, 4});
    CHECK_ERROR(IndexError, [&] { F::one_hot(tensor(std::vector<int64_t>{3}), 3); },
                {"one_hot()", "label 3", "3 classes"});
    CHECK_ERROR(TypeError, [&] { F::one_hot(tensor({1, 2})); }, {"one_hot()", "float32"});
}

TEST_CASE("cross_entropy and nll_loss take int64 target tensors, as the vector forms") {
    const Tensor logits = test::input({3, 4}, 3);
    const std::vector<int64_t> t = {3, 0, 1};
    CHECK(F::cross_entropy(logits, tensor(t)).item() == F::cross_entropy(logits, t).item());
    const Tensor lp = log_softmax(logits, 1);
    CHECK(F::nll_loss(lp, tensor(t)).item() == F::nll_loss(lp, t).item());
    CHECK_ERROR(TypeError,
                [&] {
                    F::cross_entropy(logits, tensor({3, 0, 1}));
                },
                {"cross_entropy()", "int64", "float32"});
    CHECK_ERROR(IndexError,
                [&] {
                    F::nll_loss(lp, tensor(std::vector<int64_t>{0, 4, 1}));
                },
                {"nll_loss()", "target 4"});
}
