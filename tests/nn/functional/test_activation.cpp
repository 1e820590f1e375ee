// functional::erf (descent::erf under its old name), gelu, softplus and logsigmoid: values against
// the C library (in double) and PyTorch's at the extremes, symmetry and limits, gradients (first
// and second order) and errors.
#include "support.hpp"

#include <cmath>

#include "descent/nn/functional/activation.hpp"

using namespace descent;
using nn::functional::erf;
using nn::functional::gelu;
using nn::functional::logsigmoid;
using nn::functional::softplus;
using V = std::vector<Tensor>;

namespace {

const std::vector<float> points = {-4, -1.5f, -1, -0.25f, 0, 0.25f, 1, 1.5f, 4};

std::vector<float> map(double (*f)(double)) {
    std::vector<float> out;
    for (float x : points) out.push_back(static_cast<float>(f(x)));
    return out;
}

double gelu_exact(double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }
double gelu_tanh(double x) {
    return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
}
double erf_d(double x) { return std::erf(x); }

}  // namespace

TEST_CASE("erf and gelu values") {
    const Tensor x = tensor(points, {9});
    CHECK_VALUES(erf(x), {9}, map(erf_d), 1e-6);
    CHECK_VALUES(gelu(x), {9}, map(gelu_exact), 1e-5);
    CHECK_VALUES(gelu(x, "tanh"), {9}, map(gelu_tanh), 1e-5);
    // Landmarks: Φ(1) = 0.841345, so gelu(1) = 0.841345 and gelu(-1) = 1 - 0.841345 - 1.
    CHECK(gelu(scalar_tensor(1)).item() == doctest::Approx(0.8413447).epsilon(1e-6));
    CHECK(gelu(scalar_tensor(-1)).item() == doctest::Approx(-0.1586553).epsilon(1e-5));
    // The tanh form is within 1e-3 of the exact one everywhere.
    const Tensor wide = linspace(-6, 6, 241);
    CHECK(max(abs(gelu(wide) - gelu(wide, "tanh"))).item() < 1e-3f);
    // Far out: identity on the right, zero on the left.
    CHECK_VALUES(gelu(tensor({30, -30})), {2}, {30, 0});
    CHECK_VALUES(erf(tensor({10, -10})), {2}, {1, -1});
    CHECK(gelu(zeros({2, 0, 3})).shape() == Shape{2, 0, 3});
}

TEST_CASE("erf and gelu gradients: first and second order") {
    const Tensor x = test::input({3, 4}, 1, -2.5f, 2.5f);
    CHECK_GRADIENTS([](const V& v) { return erf(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return gelu(v[0]); }, V{x});
    CHECK_GRADIENTS([](const V& v) { return gelu(v[0], "tanh"); }, V{x});
    // The exact derivative at 0 is Φ(0) = 1/2, at 1 it is Φ(1) + φ(1).
    Tensor p = tensor({0, 1}).requires_grad_();
    gelu(p).sum().backward();
    const double phi1 = std::exp(-0.5) / std::sqrt(2 * M_PI);
    CHECK_VALUES(p.grad(), {2},
                 {0.5f, static_cast<float>(0.5 * (1 + std::erf(1 / std::sqrt(2.0))) + phi1)});
}

TEST_CASE("gelu and erf errors") {
    CHECK_ERROR(ValueError, [] { gelu(zeros({2}), "fast"); },
                {"gelu()", "\"fast\"", "none", "tanh"});
    CHECK_ERROR(ValueError, [] { gelu(Tensor()); }, {"gelu()", "undefined"});
    CHECK_ERROR(ValueError, [] { erf(Tensor()); }, {"erf()", "undefined"});
    CHECK_ERROR(ValueError, [] { softplus(Tensor()); }, {"softplus()", "undefined"});
    CHECK_ERROR(ValueError, [] { logsigmoid(Tensor()); }, {"logsigmoid()", "undefined"});
}

namespace {

// PyTorch's softplus in double: x where β·x > threshold, else log(1 + exp(β·x))/β.
double softplus_d(double x, double beta = 1, double threshold = 20) {
    return beta * x > threshold ? x : std::log1p(std::exp(beta * x)) / beta;
}
double logsigmoid_d(double x) { return -std::log1p(std::exp(-x)); }

}  // namespace

TEST_CASE("softplus and logsigmoid values") {
    const std::vector<float> xs = {-15, -5, -1, -0.25f, -1e-3f, 0, 1e-3f, 0.25f, 1, 5, 15};
    // Within two float ulps of the double reference, however small the value (softplus(-15) is
    // 3e-7, logsigmoid(15) -3e-7).
    const double rel = 0x1p-22;
    CHECK_OUTCOME(test::matches_reference([](const Tensor& t) { return softplus(t); }, xs,
                                          [](double v) { return softplus_d(v); }, rel));
    CHECK_OUTCOME(test::matches_reference([](const Tensor& t) { return softplus(t, 2, 5); }, xs,
                                          [](double v) { return softplus_d(v, 2, 5); }, rel));
    CHECK_OUTCOME(test::matches_reference([](const Tensor& t) { return softplus(t, 0.5f); }, xs,
                                          [](double v) { return softplus_d(v, 0.5); }, rel));
    CHECK_OUTCOME(test::matches_reference([](const Tensor& t) { return logsigmoid(t); }, xs,
                                          logsigmoid_d, rel));
    CHECK(softplus(scalar_tensor(0)).item() == doctest::Approx(std::log(2.0)).epsilon(1e-7));

    // Above the threshold softplus is x itself, bit for bit, however large (exp would overflow);
    // at it, log1p(exp(20)) = 20 + 2e-9 rounds to 20 in float.
    // torch: F.softplus(tensor([19.9, 20., 20.1, 100.])) = [19.9, 20., 20.1, 100.]
    const Tensor high = tensor({20.1f, 25, 100, 1e30f});
    CHECK(softplus(high).to_vector() == high.to_vector());
    CHECK(softplus(scalar_tensor(20)).item() == 20.0f);
    CHECK(softplus(scalar_tensor(19.9f)).item() == 19.9f);
    // torch: F.softplus(tensor([20., 100.]), beta=2., threshold=5.) = [20., 100.]
    CHECK(softplus(tensor({20, 100}), 2, 5).to_vector() == std::vector<float>{20, 100});
    // Far left: exp(-100) = 3.72e-44, a float denormal; torch gives 3.7835e-44 too.
    CHECK(softplus(scalar_tensor(-100)).item() ==
          doctest::Approx(std::exp(-100.0)).epsilon(0.05).scale(0));

    // logsigmoid = -softplus(-x) is finite at both ends: x itself far left, a denormal -0 far
    // right. torch: F.logsigmoid(tensor([-100., 100.])) = [-100., -3.9236e-44]
    const Tensor ends = logsigmoid(tensor({-100, -21, 100, 1e30f, -1e30f}));
    CHECK(ends.to_vector()[0] == -100.0f);
    CHECK(ends.to_vector()[1] == -21.0f);
    CHECK(ends.to_vector()[2] <= 0.0f);
    CHECK(ends.to_vector()[2] > -1e-40f);
    CHECK(ends.to_vector()[3] == 0.0f);
    CHECK(ends.to_vector()[4] == -1e30f);
    CHECK(softplus(zeros({2, 0})).shape() == Shape{2, 0});
    CHECK(std::isnan(softplus(scalar_tensor(NAN)).item()));
    CHECK(std::isnan(logsigmoid(scalar_tensor(NAN)).item()));
}

TEST_CASE("softplus and logsigmoid gradients: values, first and second order") {
    // d softplus / dx = σ(βx) below the threshold, 1 above; d logsigmoid / dx = σ(-x).
    // torch: x = [-100, -20, 0, 19.9, 20, 20.1, 100], F.softplus(x).sum().backward() gives
    // x.grad = [3.7835e-44, 2.0612e-09, 0.5, 1, 1, 1, 1]
    const Tensor x = tensor({-100, -20, 0, 19.9f, 20, 20.1f, 100});
    const Tensor ones7 = ones({7});
    const Tensor d = test::grad_of([](const Tensor& t) { return softplus(t); }, x, ones7);
    CHECK_VALUES(d.narrow(0, 1, 6), {6}, {2.0611537e-09f, 0.5f, 1, 1, 1, 1});
    // σ(-100) = 3.7e-44 is a float denormal: torch keeps it, descent's sigmoid, 1/(1 + exp(100)),
    // rounds it to 0. Either is 0 to any use.
    CHECK(d.to_vector()[0] >= 0.0f);
    CHECK(d.to_vector()[0] < 1e-40f);
    // torch: x = [-100, -21, -1, 0, 1, 100], F.logsigmoid(x) backward: [1, 1, 0.7311, 0.5, 0.2689,
    // 3.7835e-44]
    const Tensor y = tensor({-100, -21, -1, 0, 1, 100});
    const auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return logsigmoid(t); }, y, ones({6})), {6},
                 {1, 1, static_cast<float>(sig(1)), 0.5f, static_cast<float>(sig(-1)), 0});
    // With β: σ(βx), and 1 where βx > threshold.
    const Tensor b = tensor({-1, 0.5f, 2, 3});
    CHECK_VALUES(
        test::grad_of([](const Tensor& t) { return softplus(t, 2, 5); }, b, ones({4})), {4},
        {static_cast<float>(sig(-2)), static_cast<float>(sig(1)), static_cast<float>(sig(4)), 1});

    const Tensor in = test::input({3, 4}, 3, -2.5f, 2.5f);
    CHECK_GRADIENTS([](const V& v) { return softplus(v[0]); }, V{in});
    CHECK_GRADIENTS([](const V& v) { return softplus(v[0], 0.5f); }, V{in});
    CHECK_GRADIENTS([](const V& v) { return logsigmoid(v[0]); }, V{in});
    // With β = 2 and threshold 1 the branch switches at x = 0.5; inputs keep 0.1 away from it, so
    // both branches are checked.
    const Tensor across =
        (test::away_from_zero({3, 4}, 4, 0.1f, 2.0f) + 0.5f).detach().requires_grad_();
    CHECK_GRADIENTS([](const V& v) { return softplus(v[0], 2, 1); }, V{across});
    // Beyond the default threshold on both sides of logsigmoid.
    const Tensor far = tensor({-30, -25, 22, 30}).requires_grad_();
    CHECK_GRADIENTS([](const V& v) { return softplus(v[0]); }, V{far});
    CHECK_GRADIENTS([](const V& v) { return logsigmoid(v[0]); }, V{far});
}
