// functional::linear: values against a hand computation, leading dims, no bias, one node,
// gradients (first and second order) and errors.
#include "support.hpp"
#include "support_float64.hpp"

#include "descent/nn/functional/linear.hpp"

using namespace descent;
using nn::functional::linear;
using V = std::vector<Tensor>;

TEST_CASE("linear: x·Wᵀ + b on hand-computed values") {
    // x (2, 3), W (2 outputs, 3 inputs), b (2)
    const Tensor x = tensor({1, 2, 3, -1, 0, 2}, {2, 3});
    const Tensor w = tensor({1, 0, -1, 2, 1, 0.5f}, {2, 3});
    const Tensor b = tensor({10, -10});
    // row 0: 1 - 3 = -2, 2 + 2 + 1.5 = 5.5;  row 1: -1 - 2 = -3, -2 + 0 + 1 = -1
    CHECK_VALUES(linear(x, w, b), {2, 2}, {8, -4.5f, 7, -11});
    CHECK_VALUES(linear(x, w), {2, 2}, {-2, 5.5f, -3, -1});
    // A 1-D input is one row; leading dims are kept.
    CHECK_VALUES(linear(tensor({1, 2, 3}), w, b), {2}, {8, -4.5f});
    const Tensor x3 = reshape(cat({x, x}, 0), {2, 2, 3});
    CHECK_VALUES(linear(x3, w, b), {2, 2, 2}, {8, -4.5f, 7, -11, 8, -4.5f, 7, -11});
    // An empty batch gives an empty output.
    CHECK(linear(zeros({0, 3}), w, b).shape() == Shape{0, 2});
}

TEST_CASE("linear agrees with matmul + add on random values") {
    const Tensor x = test::input({7, 5}, 1).detach(), w = test::input({4, 5}, 2).detach();
    const Tensor b = test::input({4}, 3).detach();
    CHECK(allclose(linear(x, w, b), matmul(x, t(w)) + b, 1e-5, 1e-6));
}

TEST_CASE("linear records one node whose backward matches the hand formulas") {
    const Tensor x = test::input({3, 4}, 1), w = test::input({2, 4}, 2), b = test::input({2}, 3);
    const Tensor y = linear(x, w, b);
    REQUIRE(y.grad_fn());
    CHECK(std::string(y.grad_fn()->name()) == "LinearBackward");
    CHECK(y.grad_fn()->next_edges().size() == 3);
    const Tensor g = test::input({3, 2}, 4).detach();
    y.backward(g);
    CHECK(allclose(x.grad(), matmul(g, w.detach()), 1e-5, 1e-6));     // dx = g·W
    CHECK(allclose(w.grad(), matmul(t(g), x.detach()), 1e-5, 1e-6));  // dW = gᵀ·x
    CHECK(allclose(b.grad(), sum(g, 0), 1e-5, 1e-6));                 // db = Σ_rows g
    // Without an input needing grad, nothing is recorded.
    CHECK_FALSE(linear(x.detach(), w.detach(), b.detach()).grad_fn());
}

TEST_CASE("linear gradients: first and second order, with and without bias, any rank") {
    const Tensor x = test::input({3, 4}, 1), w = test::input({2, 4}, 2), b = test::input({2}, 3);
    const Tensor x1 = test::input({4}, 4), x3 = test::input({2, 3, 4}, 5);
    CHECK_GRADIENTS([](const V& v) { return linear(v[0], v[1], v[2]); }, (V{x, w, b}));
    CHECK_GRADIENTS([](const V& v) { return linear(v[0], v[1]); }, (V{x, w}));
    CHECK_GRADIENTS([](const V& v) { return linear(v[0], v[1], v[2]); }, (V{x1, w, b}));
    CHECK_GRADIENTS([](const V& v) { return linear(v[0], v[1], v[2]); }, (V{x3, w, b}));
    // Only some inputs needing a gradient.
    CHECK_GRADIENTS([](const V& v) { return linear(v[0], v[1], v[2]); }, (V{x.detach(), w, b}));
    CHECK_GRADIENTS([](const V& v) { return linear(v[0], v[1], v[2]); }, (V{x, w.detach(), b}));
}

TEST_CASE("linear errors name both shapes") {
    const Tensor w = zeros({10, 128});
    CHECK_ERROR(ShapeError,
                [&] {
                    linear(zeros({64, 784}), w);
                },
                {"linear()", "(64, 784)", "(10, 128)", "784 != 128"});
    CHECK_ERROR(ShapeError,
                [&] {
                    linear(zeros({2, 128}), w, zeros({9}));
                },
                {"linear()", "bias (9)", "(10, 128)", "(10)"});
    CHECK_ERROR(ShapeError, [&] { linear(zeros({2, 128}), w, zeros({10, 1})); }, {"bias (10, 1)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    linear(zeros({2, 128}), zeros({128}));
                },
                {"linear()", "weight must be 2-D", "(128)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    linear(scalar_tensor(1), zeros({1, 1}));
                },
                {"linear()", "at least 1 dim"});
    CHECK_ERROR(ValueError, [&] { linear(Tensor(), w); }, {"linear()", "input", "undefined"});
    CHECK_ERROR(ValueError, [&] { linear(zeros({1}), Tensor()); }, {"linear()", "weight"});
}

TEST_CASE("linear in float64 (dgemm) against double loops, gradients at PyTorch's tolerances") {
    Tensor x = test::doubles({4, 3}, 51), w = test::doubles({2, 3}, 52), b = test::doubles({2}, 53);
    const std::vector<double> xv = x.to_vector<double>(), wv = w.to_vector<double>(),
                              bv = b.to_vector<double>();
    std::vector<double> y(8);
    for (int64_t i = 0; i < 4; ++i)
        for (int64_t o = 0; o < 2; ++o) {
            y[i * 2 + o] = bv[o];
            for (int64_t k = 0; k < 3; ++k) y[i * 2 + o] += xv[i * 3 + k] * wv[o * 3 + k];
        }
    CHECK_F64(linear(x, w, b), Shape{4, 2}, y);
    auto f = [](const V& v) { return linear(v[0], v[1], v[2]); };
    CHECK(autograd::gradcheck(f, {x.requires_grad_(), w.requires_grad_(), b.requires_grad_()}));
    CHECK(autograd::gradgradcheck(f, {x, w, b}));
    CHECK_ERROR(TypeError, [&] { linear(x, w.detach().to(kFloat32), b); },
                {"linear()", "float64", "float32"});
}
