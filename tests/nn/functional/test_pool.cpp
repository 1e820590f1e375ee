// functional pooling: max, average (with and without counting the padding) and adaptive average
// on hand-computed values, adaptive max against PyTorch's (tests/nn/resample_torch_reference.py);
// their gradients to second order (inputs without ties); errors.
#include "support.hpp"
#include "support_float64.hpp"

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

// ---- adaptive_max_pool2d -------------------------------------------------------------------

namespace {
using test::ramp;  // tests/support_float64.hpp
}  // namespace

TEST_CASE("adaptive_max_pool2d matches PyTorch: values, indices and the gradient") {
    // torch: F.adaptive_max_pool2d(A, (3, 4), return_indices=True), A = ramp(1, 2, 5, 7)
    const Tensor a = ramp({1, 2, 5, 7}).requires_grad_();
    auto [y, idx] = adaptive_max_pool2d_with_indices(a, {3, 4});
    CHECK_F64(y, {1, 2, 3, 4},
              {56.8, 63.9, 35.5, 42.6, 56.8, 63.9, 64.9, 64.9, 65.9, 65.9, 44.6, 51.7, 45.6, 59.8,
               66.9, 60.8, 67.9, 68.9, 68.9, 60.8, 54.7, 68.9, 68.9, 69.9});
    CHECK(idx.dtype() == kInt64);
    CHECK_DOUBLES(idx, {1, 2, 3, 4},
              {8.0, 9.0, 5.0, 6.0, 8.0, 9.0, 19.0, 19.0, 29.0, 29.0, 26.0, 27.0, 1.0, 3.0, 4.0,
               13.0, 14.0, 24.0, 24.0, 13.0, 22.0, 24.0, 24.0, 34.0});
    auto [y2, idx2] = adaptive_max_pool2d_with_indices(a, {2, 5});
    CHECK_F64(y2, {1, 2, 2, 5},
              {56.8, 63.9, 63.9, 64.9, 64.9, 65.9, 65.9, 57.8, 64.9, 64.9, 67.9, 52.7, 66.9, 66.9,
               60.8, 67.9, 61.8, 68.9, 62.8, 69.9});
    CHECK_DOUBLES(idx2, {1, 2, 2, 5},
              {8.0, 9.0, 9.0, 19.0, 19.0, 29.0, 29.0, 18.0, 19.0, 19.0, 14.0, 2.0, 4.0, 4.0, 13.0,
               14.0, 23.0, 24.0, 33.0, 34.0});
    CHECK(equal(adaptive_max_pool2d(a, {3, 4}), y));
    // torch: (F.adaptive_max_pool2d(a, (3, 4)) * arange(24)).sum().backward(); a.grad
    (y * arange(24, kFloat64).reshape({1, 2, 3, 4})).sum().backward();
    CHECK_F64(a.grad(), {1, 2, 5, 7},
              {0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 3.0, 0.0, 4.0, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
               0.0, 0.0, 13.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 0.0, 17.0, 0.0, 0.0, 0.0,
               0.0, 0.0, 0.0, 12.0, 0.0, 13.0, 14.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 34.0,
               16.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 20.0, 0.0, 78.0, 0.0, 0.0, 0.0, 0.0, 0.0,
               0.0, 0.0, 0.0, 0.0, 23.0});
    // A window size that divides: the same as max_pool2d; float32 too.
    const Tensor x = test::iota({2, 3, 6, 8});
    CHECK(equal(adaptive_max_pool2d(x, {3, 2}), max_pool2d(x, Size2{2, 4})));
    // NaN wins its window, as PyTorch's.
    const Tensor n = tensor({1.0f, NAN, 3.0f, 2.0f}, {1, 1, 2, 2});
    CHECK(std::isnan(adaptive_max_pool2d(n, 1).item()));
}

TEST_CASE("adaptive_max_pool2d: gradcheck and gradgradcheck in float64") {
    const Tensor x = no_ties({2, 2, 5, 7}, 5);
    CHECK_GRADIENTS([](const V& v) { return adaptive_max_pool2d(v[0], {3, 4}); }, (V{x}));
    CHECK_GRADIENTS([](const V& v) { return adaptive_max_pool2d(v[0], {2, 5}); }, (V{x}));
    CHECK(std::string(adaptive_max_pool2d(x, 2).grad_fn()->name()) == "MaxPool2dBackward");
}

TEST_CASE("adaptive_max_pool2d refuses: a wrong rank, output_size <= 0, an empty image, integers") {
    CHECK_ERROR(ShapeError, [] { adaptive_max_pool2d(zeros({3, 8, 8}), 2); },
                {"adaptive_max_pool2d()", "expected input (N, C, H, W)", "(3, 8, 8)"});
    CHECK_ERROR(ValueError, [] { adaptive_max_pool2d(zeros({1, 1, 8, 8}), {2, 0}); },
                {"adaptive_max_pool2d()", "output_size must be > 0", "(2, 0)"});
    CHECK_ERROR(ShapeError, [] { adaptive_max_pool2d(zeros({1, 1, 0, 8}), 2); },
                {"adaptive_max_pool2d()", "non-zero height and width", "(1, 1, 0, 8)"});
    CHECK_ERROR(TypeError, [] { adaptive_max_pool2d(zeros({1, 1, 2, 2}, kInt64), 1); },
                {"adaptive_max_pool2d()", "floating", "int64"});
    CHECK_ERROR(ValueError, [] { adaptive_max_pool2d_with_indices(Tensor(), 2); },
                {"adaptive_max_pool2d_with_indices()", "undefined"});
}
