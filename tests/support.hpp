// Helpers shared by the tests: seeded inputs that keep away from kinks, and value comparison.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "descent/descent.hpp"

namespace test {

// A leaf of `shape` requiring grad, uniform in [low, high) from a fixed seed.
inline descent::Tensor input(const descent::Shape& shape, uint64_t seed, float low = -1.0f,
                             float high = 1.0f) {
    descent::Generator gen(seed);
    return descent::uniform(shape, low, high, gen).requires_grad_();
}

// Like input(), but every value at least `margin` away from 0 in absolute value (for relu, abs and
// other ops with a kink at 0): |x| in [margin, high).
inline descent::Tensor away_from_zero(const descent::Shape& shape, uint64_t seed,
                                      float margin = 0.1f, float high = 1.0f) {
    descent::Generator gen(seed);
    descent::Tensor t = descent::uniform(shape, margin, high, gen);
    for (int64_t i = 0; i < t.numel(); ++i)
        if (gen.uniform() < 0.5f) t.data()[i] = -t.data()[i];
    return t.requires_grad_();
}

// 0, 1, 2, ... in row-major order, as a tensor of `shape`.
inline descent::Tensor iota(const descent::Shape& shape) {
    std::vector<float> v(static_cast<size_t>(descent::numel(shape)));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
    return descent::tensor(v, shape);
}

// op(x) * op(x): its gradient depends on x, so a second-order check of it exercises op's backward
// of the backward, not only a constant first derivative.
inline descent::autograd::Function squared(descent::autograd::Function f) {
    return [f](const std::vector<descent::Tensor>& v) { return f(v) * f(v); };
}

// d(f(x) · g)/dx by backward, for a fresh leaf holding x's values.
template <class F>
descent::Tensor grad_of(F f, const descent::Tensor& x, const descent::Tensor& g) {
    descent::Tensor leaf = x.detach().clone().requires_grad_();
    f(leaf).backward(g);
    return leaf.grad();
}

// Checks every value of `t` against `expected` (Approx), and the shape.
inline void check_values(const descent::Tensor& t, const descent::Shape& shape,
                         const std::vector<float>& expected, double eps = 1e-5) {
    REQUIRE(t.shape() == shape);
    REQUIRE(t.numel() == static_cast<int64_t>(expected.size()));
    for (size_t i = 0; i < expected.size(); ++i) {
        INFO("element ", i);
        CHECK(t.data()[i] == doctest::Approx(expected[i]).epsilon(eps));
    }
}

// Runs `call` and checks it throws ErrorType with a message containing every one of `parts`.
template <class ErrorType, class F>
void check_throws(F&& call, const std::vector<std::string>& parts) {
    try {
        call();
        FAIL("expected an exception");
    } catch (const ErrorType& e) {
        const std::string msg = e.what();
        for (const std::string& p : parts) {
            INFO("message: ", msg);
            CHECK(msg.find(p) != std::string::npos);
        }
    }
}

}  // namespace test
