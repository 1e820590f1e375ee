// functional pooling: max, average (with and without counting the padding) and adaptive average
// on hand-computed values; their gradients to second order (inputs without ties); errors.
#include "support.hpp"

#include "descent/nn/functional/pool.hpp"

using namespace descent;
using namespace nn::functional;
using V = std::vector<Tensor>;

namespace {

// Distinct values in random order, at least 0.1 apart, so no window has a near-tie for its max.
Tensor no_ties(const Shape& shape, uint64_t seed) {
    const int64_t n = numel(shape);
    Generator gen(seed);
    const std::vector<int64_t> order = randperm(n, gen);
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[i] = 0.1f * static_cast<float>(order[i]) - 0.05f * n;
    return tensor(v, shape).requires_grad_();
}

}  // namespace

TEST_CASE("max_pool2d on hand-computed values, with its argmax as the gradient") {
    // 0..15 as a 4x4 image: each 2x2 window's maximum is its bottom-right pixel.
    const Tensor x = test::iota({1, 1, 4, 4}).requires_grad_();
    const Tensor y = max_pool2d(x, 2);
    CHECK_VALUES(y, {1, 1, 2, 2}, {5, 7, 13, 15});
    y.backward(tensor({1, 2, 3, 4}, {1, 1, 2, 2}));
    CHECK_VALUES(x.grad(), {1, 1, 4, 4}, {0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4});
    // Overlapping windows (kernel 3, stride 1), and padding 1 that never wins: negative values.
    CHECK_VALUES(max_pool2d(test::iota({1, 1, 4, 4}), 3, 1), {1, 1, 2, 2}, {10, 11, 14, 15});
    CHECK_VALUES(max_pool2d(-test::iota({1, 1, 3, 3}) - 1.0f, 2, 2, 1), {1, 1, 2, 2},
                 {-1, -2, -4, -5});
    // Rectangular kernel and stride.
    CHECK_VALUES(max_pool2d(test::iota({1, 1, 4, 4}), Size2{1, 2}, Size2{2, 2}), {1, 1, 2, 2},
                 {1, 3, 9, 11});
}

TEST_CASE("avg_pool2d and adaptive_avg_pool2d on hand-computed values") {
    const Tensor x = test::iota({1, 1, 4, 4});
    CHECK_VALUES(avg_pool2d(x, 2), {1, 1, 2, 2}, {2.5f, 4.5f, 10.5f, 12.5f});
    // Padding 1, kernel 3, stride 3: corner window holds 0, 1, 4, 5 (sum 10) in a 3x3 window.
    CHECK_VALUES(avg_pool2d(x, 3, 3, 1), {1, 1, 2, 2},
                 {10.0f / 9, 18.0f / 9, 42.0f / 9, 50.0f / 9});
    CHECK_VALUES(avg_pool2d(x, 3, 3, 1, false), {1, 1, 2, 2}, {2.5f, 4.5f, 10.5f, 12.5f});
    // Adaptive 4 -> 3: windows [0, 2), [1, 3), [2, 4) per dim.
    CHECK_VALUES(adaptive_avg_pool2d(x, 3), {1, 1, 3, 3},
                 {2.5f, 3.5f, 4.5f, 6.5f, 7.5f, 8.5f, 10.5f, 11.5f, 12.5f});
    CHECK_VALUES(adaptive_avg_pool2d(x, 1), {1, 1, 1, 1}, {7.5f});
    CHECK_VALUES(adaptive_avg_pool2d(test::iota({1, 1, 3, 5}), {1, 2}), {1, 1, 1, 2}, {6, 8});
    CHECK(allclose(adaptive_avg_pool2d(x, 2), avg_pool2d(x, 2)));
}

TEST_CASE("pooling gradients, first and second order") {
    const Tensor x = no_ties({2, 2, 5, 6}, 1);
    CHECK_GRADIENTS([](const V& v) { return max_pool2d(v[0], 2); }, (V{x}));
    CHECK_GRADIENTS([](const V& v) { return max_pool2d(v[0], 3, Size2{2, 1}, 1); }, (V{x}));
    CHECK_GRADIENTS([](const V& v) { return avg_pool2d(v[0], 2); }, (V{x}));
    CHECK_GRADIENTS([](const V& v) { return avg_pool2d(v[0], 3, 2, 1, false); }, (V{x}));
    CHECK_GRADIENTS([](const V& v) { return adaptive_avg_pool2d(v[0], {3, 4}); }, (V{x}));
    const Tensor y = max_pool2d(x, 2);
    REQUIRE(y.grad_fn());
    CHECK(std::string(y.grad_fn()->name()) == "MaxPool2dBackward");
    CHECK(std::string(avg_pool2d(x, 2).grad_fn()->name()) == "AvgPool2dBackward");
    CHECK(std::string(adaptive_avg_pool2d(x, 2).grad_fn()->name()) == "AdaptiveAvgPool2dBackward");
}

TEST_CASE("pooling errors name the op, the values and the shapes") {
    CHECK_ERROR(ShapeError,
                [] {
                    max_pool2d(zeros({3, 8, 8}), 2);
                },
                {"max_pool2d()", "expected input (N, C, H, W)", "(3, 8, 8)"});
    CHECK_ERROR(ShapeError,
                [] {
                    max_pool2d(zeros({1, 1, 3, 8}), 4);
                },
                {"max_pool2d()", "kernel (4, 4)", "larger than the padded input 3x8"});
    CHECK_ERROR(ValueError,
                [] {
                    max_pool2d(zeros({1, 1, 8, 8}), 2, 0);
                },
                {"max_pool2d()", "stride must be > 0"});
    CHECK_ERROR(ValueError,
                [] {
                    avg_pool2d(zeros({1, 1, 8, 8}), 2, 2, 2);
                },
                {"avg_pool2d()", "half the kernel size", "got (2, 2)"});
    CHECK_ERROR(ValueError,
                [] {
                    avg_pool2d(zeros({1, 1, 8, 8}), 0);
                },
                {"kernel_size must be > 0"});
    CHECK_ERROR(ValueError,
                [] {
                    adaptive_avg_pool2d(zeros({1, 1, 8, 8}), 0);
                },
                {"adaptive_avg_pool2d()", "output_size must be > 0"});
    CHECK_ERROR(ValueError, [] { max_pool2d(Tensor(), 2); }, {"max_pool2d()", "undefined"});
}
