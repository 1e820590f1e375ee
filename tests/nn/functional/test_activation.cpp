// functional::erf (descent::erf under its old name) and gelu: values against the C library's erf
// and tanh (in double), symmetry and limits, gradients (first and second order) and errors.
#include "support.hpp"

#include <cmath>

#include "descent/nn/functional/activation.hpp"

using namespace descent;
using nn::functional::erf;
using nn::functional::gelu;
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
}
