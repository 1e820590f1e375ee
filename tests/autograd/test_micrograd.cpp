// The expression from micrograd's README, built from 0-d tensors: a whole engine in one test.
#include <doctest/doctest.h>

#include "descent/descent.hpp"

using namespace descent;

TEST_CASE("micrograd README expression: values and gradients") {
    Tensor a = scalar_tensor(-4.0f).requires_grad_();
    Tensor b = scalar_tensor(2.0f).requires_grad_();
    Tensor c = a + b;
    Tensor d = a * b + b.pow(3.0f);
    c = c + c + 1.0f;
    c = c + 1.0f + c + (-a);
    d = d + d * 2.0f + relu(b + a);
    d = d + 3.0f * d + relu(b - a);
    Tensor e = c - d;
    Tensor f = e.pow(2.0f);
    Tensor g = f / 2.0f;
    g = g + 10.0f / f;
    g.backward();
    CHECK(g.item() == doctest::Approx(24.7041).epsilon(1e-5));
    CHECK(a.grad().item() == doctest::Approx(138.8338).epsilon(1e-5));
    CHECK(b.grad().item() == doctest::Approx(645.5773).epsilon(1e-5));
}
