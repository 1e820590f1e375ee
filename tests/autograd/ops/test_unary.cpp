// exp, log, sqrt, abs, sign, tanh, sigmoid, relu, leaky_relu, clamp, sin, cos, log1p, expm1,
// square, rsqrt, reciprocal, erf: values (against std:: in double), gradients (first and second
// order, 0-d to 3-D), the conventions at kinks and domain edges, NaN inputs and errors.
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <tuple>

#include "support.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {

// A leaf in ±[0.1, 0.4) ∪ ±[0.7, 1.0), alternating: half inside clamp(-0.5, 0.5), half outside,
// every value at least 0.1 from the bounds (gradcheck steps reach 2·eps = 0.02).
Tensor away_from_bounds(const Shape& shape, uint64_t seed) {
    const Tensor u = test::away_from_zero(shape, seed, 0.1f, 0.4f);
    std::vector<float> v = u.to_vector();
    for (size_t i = 1; i < v.size(); i += 2) v[i] += v[i] > 0 ? 0.6f : -0.6f;
    return tensor(v, shape).requires_grad_();
}

// d²f/dx² elementwise, by differentiating the create_graph gradient of Σ f(x) once more.
template <class F>
Tensor second_derivative(F f, const Tensor& x) {
    Tensor leaf = x.detach().clone().requires_grad_();
    const Tensor d1 = autograd::grad({sum(f(leaf))}, {leaf}, {}, true, true)[0];
    return autograd::grad({sum(d1)}, {leaf})[0];
}

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

using UnaryOp = test::UnaryOp;
using Reference = test::Reference;
using test::matches_reference;

constexpr double two_over_sqrt_pi = 1.1283791670955126;
// Two float ulps at the bottom of a binade: a correctly rounded result is within half of one.
constexpr double two_ulps = 0x1p-22;

}  // namespace

TEST_CASE("unary forward values") {
    const Tensor x = tensor({-2, -0.5f, 0, 0.5f, 1, 2}, {2, 3});
    const Tensor p = tensor({0.25f, 0.5f, 1, 2, 4, 10}, {2, 3});
    CHECK_VALUES(exp(x), {2, 3},
                 {0.13533528f, 0.60653066f, 1, 1.64872127f, 2.71828183f, 7.3890561f});
    CHECK_VALUES(log(p), {2, 3},
                 {-1.38629436f, -0.69314718f, 0, 0.69314718f, 1.38629436f, 2.30258509f});
    CHECK_VALUES(sqrt(p), {2, 3}, {0.5f, 0.70710678f, 1, 1.41421356f, 2, 3.16227766f});
    CHECK_VALUES(abs(x), {2, 3}, {2, 0.5f, 0, 0.5f, 1, 2});
    CHECK_VALUES(sign(x), {2, 3}, {-1, -1, 0, 1, 1, 1});
    CHECK_VALUES(tanh(x), {2, 3},
                 {-0.96402758f, -0.46211716f, 0, 0.46211716f, 0.76159416f, 0.96402758f});
    CHECK_VALUES(sigmoid(x), {2, 3},
                 {0.11920292f, 0.37754067f, 0.5f, 0.62245933f, 0.73105858f, 0.88079708f});
    CHECK_VALUES(relu(x), {2, 3}, {0, 0, 0, 0.5f, 1, 2});
    CHECK_VALUES(leaky_relu(x), {2, 3}, {-0.02f, -0.005f, 0, 0.5f, 1, 2});
    CHECK_VALUES(leaky_relu(x, 0.2f), {2, 3}, {-0.4f, -0.1f, 0, 0.5f, 1, 2});
    CHECK_VALUES(clamp(x, -1, 0.75f), {2, 3}, {-1, -0.5f, 0, 0.5f, 0.75f, 0.75f});
    CHECK_VALUES(clamp(x, 0.25f, 0.25f), {2, 3}, {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f});

    // The method forms are the same ops.
    CHECK_VALUES(x.exp(), {2, 3},
                 {0.13533528f, 0.60653066f, 1, 1.64872127f, 2.71828183f, 7.3890561f});
    CHECK_VALUES(p.log(), {2, 3},
                 {-1.38629436f, -0.69314718f, 0, 0.69314718f, 1.38629436f, 2.30258509f});
    CHECK_VALUES(p.sqrt(), {2, 3}, {0.5f, 0.70710678f, 1, 1.41421356f, 2, 3.16227766f});
    CHECK_VALUES(x.abs(), {2, 3}, {2, 0.5f, 0, 0.5f, 1, 2});
    CHECK_VALUES(x.tanh(), {2, 3},
                 {-0.96402758f, -0.46211716f, 0, 0.46211716f, 0.76159416f, 0.96402758f});
    CHECK_VALUES(x.sigmoid(), {2, 3},
                 {0.11920292f, 0.37754067f, 0.5f, 0.62245933f, 0.73105858f, 0.88079708f});
    CHECK_VALUES(x.relu(), {2, 3}, {0, 0, 0, 0.5f, 1, 2});
    CHECK_VALUES(x.clamp(-1, 0.75f), {2, 3}, {-1, -0.5f, 0, 0.5f, 0.75f, 0.75f});

    // 0-d and 3-D keep their shapes.
    CHECK_VALUES(exp(scalar_tensor(1)), {}, {2.71828183f});
    CHECK_VALUES(sigmoid(scalar_tensor(0)), {}, {0.5f});
    CHECK_VALUES(clamp(scalar_tensor(3), -1, 1), {}, {1});
    CHECK_VALUES(relu(tensor({-1, 2, -3, 4, 0, 6, -7, 8}, {2, 2, 2})), {2, 2, 2},
                 {0, 2, 0, 4, 0, 6, 0, 8});
}

TEST_CASE("unary ops on empty tensors and on views into a larger storage") {
    CHECK(exp(zeros({2, 0})).shape() == Shape{2, 0});
    CHECK(clamp(zeros({0}), -1, 1).shape() == Shape{0});
    // The second row of x is a view starting 3 floats into x's storage.
    const Tensor x = tensor({-1, -2, -3, 4, -5, 6}, {2, 3});
    const Tensor row = x.narrow(0, 1, 1);
    CHECK_VALUES(relu(row), {1, 3}, {4, 0, 6});
    CHECK_VALUES(abs(row), {1, 3}, {4, 5, 6});
    CHECK_VALUES(sign(row), {1, 3}, {1, -1, 1});
}

TEST_CASE("unary values at the edges of their domains") {
    // IEEE results, as std:: and PyTorch give them.
    CHECK(log(scalar_tensor(0)).item() == -kInf);
    CHECK(std::isnan(log(scalar_tensor(-1)).item()));
    CHECK(std::isnan(sqrt(scalar_tensor(-1)).item()));
    CHECK(exp(scalar_tensor(-kInf)).item() == 0.0f);
    // sigmoid and tanh saturate without overflowing into NaN.
    CHECK_VALUES(sigmoid(tensor({-100, 100})), {2}, {0, 1});
    CHECK_VALUES(tanh(tensor({-100, 100})), {2}, {-1, 1});
    CHECK_VALUES(clamp(tensor({-kInf, kInf}), -1, 1), {2}, {-1, 1});
}

TEST_CASE("unary ops keep NaN, as PyTorch does") {
    // relu and clamp must not turn a NaN into a number: that would hide a diverged training run.
    for (const auto& [name, f] : std::vector<std::pair<const char*, std::function<Tensor(Tensor)>>>{
             {"exp", [](Tensor t) { return exp(t); }},
             {"log", [](Tensor t) { return log(t); }},
             {"sqrt", [](Tensor t) { return sqrt(t); }},
             {"abs", [](Tensor t) { return abs(t); }},
             {"tanh", [](Tensor t) { return tanh(t); }},
             {"sigmoid", [](Tensor t) { return sigmoid(t); }},
             {"relu", [](Tensor t) { return relu(t); }},
             {"leaky_relu", [](Tensor t) { return leaky_relu(t, 0.1f); }},
             {"clamp", [](Tensor t) { return clamp(t, -0.5f, 0.5f); }},
             {"sin", [](Tensor t) { return sin(t); }},
             {"cos", [](Tensor t) { return cos(t); }},
             {"log1p", [](Tensor t) { return log1p(t); }},
             {"expm1", [](Tensor t) { return expm1(t); }},
             {"square", [](Tensor t) { return square(t); }},
             {"rsqrt", [](Tensor t) { return rsqrt(t); }},
             {"reciprocal", [](Tensor t) { return reciprocal(t); }},
             {"erf", [](Tensor t) { return erf(t); }},
         }) {
        INFO(name);
        const Tensor out = f(tensor({1, kNaN, 0.25f}));
        CHECK(std::isnan(out.data()[1]));
        CHECK_FALSE(std::isnan(out.data()[0]));
        CHECK_FALSE(std::isnan(out.data()[2]));
    }
}

TEST_CASE("unary backward values by hand") {
    const Tensor x = tensor({-1, 0, 2});
    const Tensor p = tensor({0.25f, 1, 4});
    const Tensor g = tensor({1, 2, 3});
    // g · exp(x)
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return exp(t); }, x, g), {3},
                 {0.36787944f, 2, 22.1671683f});
    // g / p
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return log(t); }, p, g), {3}, {4, 2, 0.75f});
    // g / (2 sqrt(p))
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return sqrt(t); }, p, g), {3}, {1, 1, 0.75f});
    // g · (1 - tanh²): 1 - tanh²(-1) = 0.41997434, 1 - tanh²(2) = 0.07065082
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return tanh(t); }, x, g), {3},
                 {0.41997434f, 2, 0.21195246f});
    // g · σ(1 - σ): 0.19661193 at -1, 0.25 at 0, 0.10499359 at 2
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return sigmoid(t); }, x, g), {3},
                 {0.19661193f, 0.5f, 0.31498076f});
    // relu, abs, sign and leaky_relu at the kink 0 take PyTorch's one-sided values: 0, 0, 0, slope.
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return relu(t); }, x, g), {3}, {0, 0, 3});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return abs(t); }, x, g), {3}, {-1, 0, 3});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return sign(t); }, x, g), {3}, {0, 0, 0});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return leaky_relu(t, 0.1f); }, x, g), {3},
                 {0.1f, 0.2f, 3});
    // clamp passes the gradient where min <= x <= max, bounds included.
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return clamp(t, -1, 1); }, x, g), {3},
                 {1, 2, 0});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return clamp(t, -0.5f, 0.5f); },
                               tensor({-2, -0.5f, 0, 0.5f, 2}), tensor({1, 2, 3, 4, 5})),
                 {5}, {0, 2, 3, 4, 0});
}

TEST_CASE("relu, leaky_relu and clamp gradients at NaN are PyTorch's") {
    // relu's backward is PyTorch's threshold_backward, g unless out <= 0: NaN <= 0 is false, so a
    // NaN passes the gradient. torch: x = tensor([nan, -2., 0., 2.]); relu(x).sum().backward()
    // -> x.grad = [1, 0, 0, 1]
    const Tensor x = tensor({kNaN, -2, 0, 2});
    const Tensor g = tensor({1, 2, 3, 4});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return relu(t); }, x, ones({4})), {4},
                 {1, 0, 0, 1});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return t.relu(); }, x, g), {4}, {1, 0, 0, 4});
    // The same mask in relu's double backward. torch: x = tensor([nan, -2., 0., 2.],
    // requires_grad=True), w = tensor([1., 2., 3., 4.], requires_grad=True);
    // gx, = grad((relu(x) * w).sum(), x, create_graph=True) -> [1, 0, 0, 4];
    // gx.sum().backward() -> w.grad = [1, 0, 0, 1]
    Tensor leaf = x.clone().requires_grad_(), w = tensor({1, 2, 3, 4}).requires_grad_();
    const Tensor gx = autograd::grad({sum(relu(leaf) * w)}, {leaf}, {}, {}, true)[0];
    CHECK_VALUES(gx, {4}, {1, 0, 0, 4});
    sum(gx).backward();
    CHECK_VALUES(w.grad(), {4}, {1, 0, 0, 1});
    // leaky_relu: g where x > 0, else slope·g, NaN included. torch: F.leaky_relu(x, 0.1) on the
    // same x, backward of sum -> [0.1, 0.1, 0.1, 1]
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return leaky_relu(t, 0.1f); }, x, ones({4})),
                 {4}, {0.1f, 0.1f, 0.1f, 1});
    // clamp: g where min <= x <= max, which NaN is not. torch: x = tensor([nan, -2., -1., 0.5,
    // 1., 2.]); x.clamp(-1., 1.).backward(tensor([1., 2., 3., 4., 5., 6.])) -> [0, 0, 3, 4, 5, 0]
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return clamp(t, -1, 1); },
                               tensor({kNaN, -2, -1, 0.5f, 1, 2}), tensor({1, 2, 3, 4, 5, 6})),
                 {6}, {0, 0, 3, 4, 5, 0});
}

TEST_CASE("unary second derivatives by hand") {
    const Tensor x = tensor({-1, 0.5f, 2});
    const Tensor p = tensor({0.25f, 1, 4});
    // exp'' = exp
    CHECK_VALUES(second_derivative([](const Tensor& t) { return exp(t); }, x), {3},
                 {0.36787944f, 1.64872127f, 7.3890561f});
    // log'' = -1/p²
    CHECK_VALUES(second_derivative([](const Tensor& t) { return log(t); }, p), {3},
                 {-16, -1, -0.0625f});
    // sqrt'' = -p^(-3/2) / 4
    CHECK_VALUES(second_derivative([](const Tensor& t) { return sqrt(t); }, p), {3},
                 {-2, -0.25f, -0.03125f});
    // tanh'' = -2 tanh (1 - tanh²): tanh(0.5) = 0.46211716
    CHECK_VALUES(second_derivative([](const Tensor& t) { return tanh(t); }, x), {3},
                 {0.63970001f, -0.72686198f, -0.13621869f});
    // relu'' = 0 away from the kink
    CHECK_VALUES(second_derivative([](const Tensor& t) { return relu(t) * t; }, x), {3}, {0, 2, 2});
}

TEST_CASE("unary gradients match finite differences, 0-d to 3-D") {
    using F = autograd::TensorFunction;
    const std::vector<std::pair<const char*, F>> smooth = {
        {"exp", [](const V& v) { return exp(v[0]); }},
        {"tanh", [](const V& v) { return tanh(v[0]); }},
        {"sigmoid", [](const V& v) { return sigmoid(v[0]); }},
        {"tanh(exp)", [](const V& v) { return tanh(exp(v[0])) * v[0]; }},
    };
    const std::vector<std::pair<const char*, F>> positive = {
        {"log", [](const V& v) { return log(v[0]); }},
        {"sqrt", [](const V& v) { return sqrt(v[0]); }},
        {"sqrt(x) * log(x)", [](const V& v) { return sqrt(v[0]) * log(v[0]); }},
    };
    const std::vector<std::pair<const char*, F>> kinked = {
        {"abs", [](const V& v) { return abs(v[0]); }},
        {"sign", [](const V& v) { return sign(v[0]); }},
        {"sign * x²", [](const V& v) { return sign(v[0]) * v[0] * v[0]; }},
        {"relu", [](const V& v) { return relu(v[0]); }},
        {"relu²", [](const V& v) { return relu(v[0]) * relu(v[0]); }},
        {"leaky_relu", [](const V& v) { return leaky_relu(v[0]); }},
        {"leaky_relu 0.3", [](const V& v) { return leaky_relu(v[0], 0.3f); }},
        {"abs * exp", [](const V& v) { return abs(v[0]) * exp(v[0]); }},
    };
    const std::vector<std::pair<const char*, F>> bounded = {
        {"clamp", [](const V& v) { return clamp(v[0], -0.5f, 0.5f); }},
        {"clamp(x) * x", [](const V& v) { return clamp(v[0], -0.5f, 0.5f) * v[0]; }},
    };
    uint64_t seed = 1;
    for (const Shape& shape : std::vector<Shape>{{}, {5}, {3, 4}, {2, 3, 4}}) {
        CAPTURE(shape);
        ++seed;
        for (const auto& [name, f] : smooth) {
            INFO(name);
            const V in = {test::input(shape, seed)};
            CHECK(gradcheck(f, in));
            CHECK(gradgradcheck(f, in));
        }
        for (const auto& [name, f] : positive) {
            INFO(name);
            const V in = {test::input(shape, seed, 0.5f, 2.0f)};
            CHECK(gradcheck(f, in));
            CHECK(gradgradcheck(f, in));
        }
        for (const auto& [name, f] : kinked) {
            INFO(name);
            const V in = {test::away_from_zero(shape, seed)};
            CHECK(gradcheck(f, in));
            CHECK(gradgradcheck(f, in));
        }
        for (const auto& [name, f] : bounded) {
            INFO(name);
            const V in = {away_from_bounds(shape, seed)};
            CHECK(gradcheck(f, in));
            CHECK(gradgradcheck(f, in));
        }
    }
}

TEST_CASE("unary ops record a node only when the input requires grad") {
    const Tensor x = test::input({2, 3}, 1);
    const Tensor c = zeros({2, 3});
    for (const auto& [name, f] : std::vector<std::pair<const char*, std::function<Tensor(Tensor)>>>{
             {"exp", [](Tensor t) { return exp(t); }},
             {"sign", [](Tensor t) { return sign(t); }},
             {"relu", [](Tensor t) { return relu(t); }},
             {"clamp", [](Tensor t) { return clamp(t, -1, 1); }},
         }) {
        INFO(name);
        CHECK(f(x).requires_grad());
        CHECK(f(x).grad_fn() != nullptr);
        CHECK_FALSE(f(c).requires_grad());
        NoGradGuard no_grad;
        CHECK_FALSE(f(x).requires_grad());
    }
}

TEST_CASE("unary errors name the op") {
    const Tensor x = zeros({2, 3});
    CHECK_ERROR(ValueError, [&] { clamp(x, 1, -1); }, {"clamp()", "min 1", "max -1"});
    CHECK_ERROR(ValueError, [&] { x.clamp(0.5f, 0.25f); }, {"clamp()", "min 0.5", "max 0.25"});
    CHECK_ERROR(ValueError, [&] { exp(Tensor()); }, {"exp()", "undefined"});
    CHECK_ERROR(ValueError, [&] { log(Tensor()); }, {"log()", "undefined"});
    CHECK_ERROR(ValueError, [&] { sqrt(Tensor()); }, {"sqrt()", "undefined"});
    CHECK_ERROR(ValueError, [&] { abs(Tensor()); }, {"abs()", "undefined"});
    CHECK_ERROR(ValueError, [&] { sign(Tensor()); }, {"sign()", "undefined"});
    CHECK_ERROR(ValueError, [&] { tanh(Tensor()); }, {"tanh()", "undefined"});
    CHECK_ERROR(ValueError, [&] { sigmoid(Tensor()); }, {"sigmoid()", "undefined"});
    CHECK_ERROR(ValueError, [&] { relu(Tensor()); }, {"relu()", "undefined"});
    CHECK_ERROR(ValueError, [&] { leaky_relu(Tensor()); }, {"leaky_relu()", "undefined"});
    CHECK_ERROR(ValueError, [&] { clamp(Tensor(), -1, 1); }, {"clamp()", "undefined"});
    CHECK_ERROR(ValueError, [&] { sin(Tensor()); }, {"sin()", "undefined"});
    CHECK_ERROR(ValueError, [&] { cos(Tensor()); }, {"cos()", "undefined"});
    CHECK_ERROR(ValueError, [&] { log1p(Tensor()); }, {"log1p()", "undefined"});
    CHECK_ERROR(ValueError, [&] { expm1(Tensor()); }, {"expm1()", "undefined"});
    CHECK_ERROR(ValueError, [&] { square(Tensor()); }, {"square()", "undefined"});
    CHECK_ERROR(ValueError, [&] { rsqrt(Tensor()); }, {"rsqrt()", "undefined"});
    CHECK_ERROR(ValueError, [&] { reciprocal(Tensor()); }, {"reciprocal()", "undefined"});
    CHECK_ERROR(ValueError, [&] { erf(Tensor()); }, {"erf()", "undefined"});
}

TEST_CASE("sin, cos, log1p, expm1, square, rsqrt, reciprocal, erf against std:: in double") {
    const float pi = 3.14159265f;
    const std::vector<float> any = {-100,   -10,   -pi,   -1,   -0.5f,  -1e-3f, -1e-7f, 0,
                                    1e-30f, 1e-7f, 1e-3f, 0.5f, pi / 2, 3,      10,     100};
    // Near 0 is where log(1 + x) and exp(x) - 1 lose every digit; log1p and expm1 must not.
    const std::vector<float> near_zero = {-0.5f,  -1e-3f, -1e-5f, -1e-7f, -1e-10f, -1e-30f, 0,
                                          1e-30f, 1e-10f, 1e-7f,  1e-5f,  1e-3f,   0.5f};
    const std::vector<float> positive = {1e-30f, 1e-8f, 0.25f, 1, 2, 3, 1e8f, 1e30f};
    struct Case {
        const char* name;
        UnaryOp op, method;
        Reference ref;
        std::vector<float> x;
    };
    const std::vector<Case> cases = {
        {"sin", [](const Tensor& t) { return sin(t); }, [](const Tensor& t) { return t.sin(); },
         [](double v) { return std::sin(v); }, any},
        {"cos", [](const Tensor& t) { return cos(t); }, [](const Tensor& t) { return t.cos(); },
         [](double v) { return std::cos(v); }, any},
        {"log1p",
         [](const Tensor& t) { return log1p(t); },
         [](const Tensor& t) { return t.log1p(); },
         [](double v) { return std::log1p(v); },
         {-0.999f, -0.9f, 1, 10, 1e6f, 1e30f}},
        {"log1p near 0", [](const Tensor& t) { return log1p(t); },
         [](const Tensor& t) { return t.log1p(); }, [](double v) { return std::log1p(v); },
         near_zero},
        {"expm1",
         [](const Tensor& t) { return expm1(t); },
         [](const Tensor& t) { return t.expm1(); },
         [](double v) { return std::expm1(v); },
         {-100, -20, -1, 1, 10, 88}},
        {"expm1 near 0", [](const Tensor& t) { return expm1(t); },
         [](const Tensor& t) { return t.expm1(); }, [](double v) { return std::expm1(v); },
         near_zero},
        {"square",
         [](const Tensor& t) { return square(t); },
         [](const Tensor& t) { return t.square(); },
         [](double v) { return v * v; },
         {-3, -1e-3f, 0, 0.1f, 1.5f, 1e18f}},
        {"rsqrt", [](const Tensor& t) { return rsqrt(t); },
         [](const Tensor& t) { return t.rsqrt(); }, [](double v) { return 1 / std::sqrt(v); },
         positive},
        {"reciprocal",
         [](const Tensor& t) { return reciprocal(t); },
         [](const Tensor& t) { return t.reciprocal(); },
         [](double v) { return 1 / v; },
         {-1e30f, -3, -1e-3f, 1e-30f, 0.1f, 3, 7, 1e30f}},
        {"erf",
         [](const Tensor& t) { return erf(t); },
         [](const Tensor& t) { return t.erf(); },
         [](double v) { return std::erf(v); },
         {-10, -3, -1, -0.5f, -1e-3f, -1e-8f, 0, 1e-30f, 1e-8f, 1e-3f, 0.5f, 1, 2, 3, 4, 10}},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        CHECK_OUTCOME(matches_reference(c.op, c.x, c.ref, two_ulps));
        const Tensor x = tensor(c.x, {static_cast<int64_t>(c.x.size())});
        CHECK(equal(c.method(x), c.op(x)));  // the method is the same op
    }
    // Shapes are kept, 0-d to 3-D, and views read from their own offset.
    CHECK(sin(zeros({2, 0, 3})).shape() == Shape{2, 0, 3});
    CHECK(erf(scalar_tensor(0.5f)).shape() == Shape{});
    CHECK_VALUES(reciprocal(tensor({1, 2, 4, 8, 16, 32}, {3, 2}).narrow(0, 1, 2)), {2, 2},
                 {0.25f, 0.125f, 0.0625f, 0.03125f});
}

TEST_CASE("sin ... erf at the edges of their domains, as PyTorch gives them") {
    // torch.rsqrt(tensor([0., -0., -1., inf])) = [inf, -inf, nan, 0]
    CHECK(rsqrt(tensor({0, -0.0f, kInf})).to_vector() == std::vector<float>{kInf, -kInf, 0});
    CHECK(std::isnan(rsqrt(scalar_tensor(-1)).item()));
    // torch.reciprocal(tensor([0., -0., inf, -inf, 1e-39])) = [inf, -inf, 0, -0, inf]
    CHECK(reciprocal(tensor({0, -0.0f, kInf, -kInf, 1e-39f})).to_vector() ==
          std::vector<float>{kInf, -kInf, 0, 0, kInf});
    CHECK(std::signbit(reciprocal(scalar_tensor(-kInf)).item()));
    // torch.log1p(tensor([-1., -2., inf])) = [-inf, nan, inf]
    CHECK(log1p(scalar_tensor(-1)).item() == -kInf);
    CHECK(std::isnan(log1p(scalar_tensor(-2)).item()));
    CHECK(log1p(scalar_tensor(kInf)).item() == kInf);
    // torch.expm1(tensor([89., -inf])) = [inf, -1]: exp(89) is past float's range.
    CHECK(expm1(tensor({89, -kInf})).to_vector() == std::vector<float>{kInf, -1});
    CHECK_VALUES(erf(tensor({kInf, -kInf})), {2}, {1, -1});
    CHECK(square(scalar_tensor(1e20f)).item() == kInf);
    CHECK(std::isnan(sin(scalar_tensor(kInf)).item()));
    CHECK(std::isnan(cos(scalar_tensor(kInf)).item()));
    // log1p and expm1 keep the digits that log(1 + x) and exp(x) - 1 lose near 0.
    CHECK(log1p(scalar_tensor(1e-10f)).item() == static_cast<float>(std::log1p(double(1e-10f))));
    CHECK(log(scalar_tensor(1e-10f) + 1.0f).item() == 0.0f);
    CHECK(expm1(scalar_tensor(1e-10f)).item() == static_cast<float>(std::expm1(double(1e-10f))));
    CHECK(exp(scalar_tensor(1e-10f)).item() - 1.0f == 0.0f);
}

TEST_CASE("sin ... erf backward against their derivatives, first and second") {
    struct Case {
        const char* name;
        UnaryOp op;
        Reference d1, d2;  // f' and f'' in double
        std::vector<float> x;
    };
    const std::vector<float> any = {-2, -0.5f, 0.25f, 1, 3};
    const std::vector<float> positive = {0.25f, 0.5f, 1, 2, 9};
    const std::vector<Case> cases = {
        {"sin", [](const Tensor& t) { return sin(t); }, [](double v) { return std::cos(v); },
         [](double v) { return -std::sin(v); }, any},
        {"cos", [](const Tensor& t) { return cos(t); }, [](double v) { return -std::sin(v); },
         [](double v) { return -std::cos(v); }, any},
        {"log1p",
         [](const Tensor& t) { return log1p(t); },
         [](double v) { return 1 / (1 + v); },
         [](double v) { return -1 / ((1 + v) * (1 + v)); },
         {-0.75f, -0.5f, 0, 1, 3}},
        {"expm1", [](const Tensor& t) { return expm1(t); }, [](double v) { return std::exp(v); },
         [](double v) { return std::exp(v); }, any},
        {"square", [](const Tensor& t) { return square(t); }, [](double v) { return 2 * v; },
         [](double) { return 2.0; }, any},
        {"rsqrt", [](const Tensor& t) { return rsqrt(t); },
         [](double v) { return -0.5 * std::pow(v, -1.5); },
         [](double v) { return 0.75 * std::pow(v, -2.5); }, positive},
        {"reciprocal",
         [](const Tensor& t) { return reciprocal(t); },
         [](double v) { return -1 / (v * v); },
         [](double v) { return 2 / (v * v * v); },
         {-2, -0.5f, 0.25f, 1, 3}},
        {"erf", [](const Tensor& t) { return erf(t); },
         [](double v) { return two_over_sqrt_pi * std::exp(-v * v); },
         [](double v) { return -2 * v * two_over_sqrt_pi * std::exp(-v * v); }, any},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        const Tensor x = tensor(c.x, {5});
        const Tensor g = tensor({1, -2, 0.5f, 3, 1});
        std::vector<float> d1, d2;
        for (size_t i = 0; i < c.x.size(); ++i) {
            d1.push_back(static_cast<float>(g.data()[i] * c.d1(c.x[i])));
            d2.push_back(static_cast<float>(c.d2(c.x[i])));
        }
        CHECK_VALUES(test::grad_of(c.op, x, g), {5}, d1);
        CHECK_VALUES(second_derivative(c.op, x), {5}, d2);
    }
}

TEST_CASE("sin ... erf gradients match finite differences, first and second order, 0-d to 3-D") {
    using F = autograd::TensorFunction;
    // Inputs: `any` in [-1, 1); log1p in [-0.5, 1), away from its pole at -1; rsqrt on [0.5, 2);
    // reciprocal on ±[0.5, 2), away from 0.
    enum Domain { Any, AboveMinusHalf, Positive, AwayFromZero };
    const std::vector<std::tuple<const char*, F, Domain>> ops = {
        {"sin", [](const V& v) { return sin(v[0]); }, Any},
        {"cos", [](const V& v) { return cos(v[0]); }, Any},
        {"log1p", [](const V& v) { return log1p(v[0]); }, AboveMinusHalf},
        {"expm1", [](const V& v) { return expm1(v[0]); }, Any},
        {"square", [](const V& v) { return square(v[0]); }, Any},
        {"rsqrt", [](const V& v) { return rsqrt(v[0]); }, Positive},
        {"reciprocal", [](const V& v) { return reciprocal(v[0]); }, AwayFromZero},
        {"erf", [](const V& v) { return erf(v[0]); }, Any},
        {"sin(x) * cos(x)", [](const V& v) { return sin(v[0]) * cos(v[0]); }, Any},
    };
    uint64_t seed = 40;
    for (const Shape& shape : std::vector<Shape>{{}, {5}, {3, 4}, {2, 3, 4}}) {
        CAPTURE(shape);
        ++seed;
        for (const auto& [name, f, domain] : ops) {
            INFO(name);
            const Tensor x = domain == Any              ? test::input(shape, seed)
                             : domain == AboveMinusHalf ? test::input(shape, seed, -0.5f, 1.0f)
                             : domain == Positive       ? test::input(shape, seed, 0.5f, 2.0f)
                                                  : test::away_from_zero(shape, seed, 0.5f, 2.0f);
            CHECK_GRADIENTS(f, V{x});
        }
    }
}

TEST_CASE("sin ... erf record their nodes, square as pow(x, 2) like torch.square") {
    const Tensor x = test::input({2, 3}, 1, 0.5f, 1.0f);
    const std::vector<std::pair<const char*, UnaryOp>> ops = {
        {"SinBackward", [](const Tensor& t) { return sin(t); }},
        {"CosBackward", [](const Tensor& t) { return cos(t); }},
        {"Log1pBackward", [](const Tensor& t) { return log1p(t); }},
        {"Expm1Backward", [](const Tensor& t) { return expm1(t); }},
        {"PowBackward", [](const Tensor& t) { return square(t); }},
        {"RsqrtBackward", [](const Tensor& t) { return rsqrt(t); }},
        {"ReciprocalBackward", [](const Tensor& t) { return reciprocal(t); }},
        {"ErfBackward", [](const Tensor& t) { return erf(t); }},
    };
    for (const auto& [name, f] : ops) {
        INFO(name);
        REQUIRE(f(x).grad_fn());
        CHECK(std::string(f(x).grad_fn()->name()) == name);
        CHECK_FALSE(f(x.detach()).requires_grad());
        NoGradGuard no_grad;
        CHECK_FALSE(f(x).requires_grad());
    }
}
