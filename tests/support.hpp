// Helpers shared by the tests: seeded inputs that keep away from kinks, and value comparison.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
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
inline descent::autograd::TensorFunction squared(descent::autograd::TensorFunction f) {
    return [f](const std::vector<descent::Tensor>& v) { return f(v) * f(v); };
}

// d(f(x) · g)/dx by backward, for a fresh leaf holding x's values.
template <class F>
descent::Tensor grad_of(F f, const descent::Tensor& x, const descent::Tensor& g) {
    descent::Tensor leaf = x.detach().clone().requires_grad_();
    f(leaf).backward(g);
    return leaf.grad();
}

// What a comparison found: ok, or what differs (printed by CHECK_MESSAGE at the caller's line).
struct Outcome {
    bool ok = true;
    std::string message;
};

// t's shape and values against the expected ones (doctest::Approx with relative `eps`). A tensor
// of another dtype is read as float32 (a bool mask as 0 and 1).
inline Outcome compare_values(const descent::Tensor& view, const descent::Shape& shape,
                              const std::vector<float>& expected, double eps = 1e-5) {
    // a view's values, row-major
    const descent::Tensor t = descent::detail::converted(view, descent::kFloat32);
    std::ostringstream s;
    if (t.shape() != shape || t.numel() != static_cast<int64_t>(expected.size())) {
        s << "shape " << t.shape() << ", expected " << shape << " with " << expected.size()
          << " values";
        return {false, s.str()};
    }
    bool ok = true;
    for (size_t i = 0; i < expected.size(); ++i) {
        if (!(t.data()[i] == doctest::Approx(expected[i]).epsilon(eps))) {
            s << "element " << i << " is " << t.data()[i] << ", expected " << expected[i] << "; ";
            ok = false;
        }
    }
    return {ok, s.str()};
}

// compare_values in double: t (any dtype, read as float64) has this shape and values, each within
// tol·(1 + |expected|). NaN matches NaN.
inline Outcome compare_doubles(const descent::Tensor& view, const descent::Shape& shape,
                               const std::vector<double>& expected, double tol = 1e-12) {
    const descent::Tensor t = descent::detail::converted(view, descent::kFloat64);
    std::ostringstream s;
    s.precision(17);
    if (t.shape() != shape || t.numel() != static_cast<int64_t>(expected.size())) {
        s << "shape " << t.shape() << ", expected " << shape << " with " << expected.size()
          << " values";
        return {false, s.str()};
    }
    bool ok = true;
    const double* v = t.data<double>();
    for (size_t i = 0; i < expected.size(); ++i) {
        const bool both_nan = std::isnan(v[i]) && std::isnan(expected[i]);
        if (!both_nan && !(std::abs(v[i] - expected[i]) <= tol * (1 + std::abs(expected[i])))) {
            s << "element " << i << " is " << v[i] << ", expected " << expected[i] << "; ";
            ok = false;
        }
    }
    return {ok, s.str()};
}

using UnaryOp = std::function<descent::Tensor(const descent::Tensor&)>;
using Reference = std::function<double(double)>;

// op(x) against ref computed in double: within `rel` relative error where the reference is a
// non-zero float, and exactly it where it is 0, NaN or beyond float's range (±inf).
inline Outcome matches_reference(const UnaryOp& op, const std::vector<float>& x,
                                 const Reference& ref, double rel) {
    const descent::Tensor out =
        descent::detail::dense(op(descent::tensor(x, {static_cast<int64_t>(x.size())})));
    std::ostringstream s;
    bool ok = true;
    for (size_t i = 0; i < x.size(); ++i) {
        const double want = ref(x[i]);
        const float got = out.data()[i];
        bool good;
        if (std::isnan(want)) {
            good = std::isnan(got);
        } else if (std::fabs(want) > std::numeric_limits<float>::max()) {  // inf in float
            good = std::isinf(got) && std::signbit(got) == std::signbit(want);
        } else if (want == 0) {
            good = got == 0;
        } else {
            good = std::fabs(got - want) <= rel * std::fabs(want);
        }
        if (!good) {
            s << "at x = " << x[i] << ": " << got << ", expected " << want << "; ";
            ok = false;
        }
    }
    return {ok, s.str()};
}

// Runs `call`: ok if it throws ErrorType with every one of `parts` in its message. An exception of
// another type propagates, and doctest reports it.
template <class ErrorType, class F>
Outcome expect_error(F&& call, const std::vector<std::string>& parts) {
    try {
        call();
    } catch (const ErrorType& e) {
        const std::string msg = e.what();
        for (const std::string& p : parts)
            if (msg.find(p) == std::string::npos)
                return {false, "message \"" + msg + "\" lacks \"" + p + "\""};
        return {true, msg};
    }
    return {false, "no exception was thrown"};
}

// Two state dicts with the same keys in the same order and bit-equal tensors.
inline Outcome same_state(const descent::NamedTensors& a, const descent::NamedTensors& b) {
    std::ostringstream s;
    if (a.size() != b.size()) s << a.size() << " entries vs " << b.size() << "; ";
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (a[i].first != b[i].first || !descent::equal(a[i].second, b[i].second))
            s << "entry " << i << " (" << a[i].first << " vs " << b[i].first << ") differs; ";
    return {s.str().empty(), s.str()};
}

// `dict` with the entry `key` replaced by `t` (appended if absent), or, for an undefined t,
// removed.
inline descent::NamedTensors with_entry(descent::NamedTensors dict, const std::string& key,
                                        const descent::Tensor& t) {
    bool found = false;
    for (auto it = dict.begin(); it != dict.end();) {
        if (it->first != key) {
            ++it;
            continue;
        }
        found = true;
        if (!t.defined()) {
            it = dict.erase(it);
            continue;
        }
        it->second = t;
        ++it;
    }
    if (!found && t.defined()) dict.emplace_back(key, t);
    return dict;
}

// What `os << x` prints (a module, a tensor, a shape).
template <class T>
std::string printed(const T& x) {
    std::ostringstream os;
    os << x;
    return os.str();
}

}  // namespace test

// CHECK_OUTCOME(expr): expr, a test::Outcome, is ok; otherwise its message is printed.
#define CHECK_OUTCOME(expr)                           \
    do {                                              \
        const ::test::Outcome outcome_ = (expr);      \
        CHECK_MESSAGE(outcome_.ok, outcome_.message); \
    } while (0)

// CHECK_GRADIENTS(f, inputs): gradcheck and gradgradcheck of f, and of f(x)·f(x), whose gradient
// depends on x even where f's does not, so its second-order check exercises f's double backward.
#define CHECK_GRADIENTS(f, inputs)                                             \
    do {                                                                       \
        CHECK(::descent::autograd::gradcheck(f, inputs));                      \
        CHECK(::descent::autograd::gradgradcheck(f, inputs));                  \
        CHECK(::descent::autograd::gradcheck(::test::squared(f), inputs));     \
        CHECK(::descent::autograd::gradgradcheck(::test::squared(f), inputs)); \
    } while (0)

// CHECK_VALUES(t, shape, {values...}[, eps]): t has this shape and these values.
#define CHECK_VALUES(...) CHECK_OUTCOME(::test::compare_values(__VA_ARGS__))

// CHECK_DOUBLES(t, shape, {values...}[, tol]): the same in double, for float64 results.
#define CHECK_DOUBLES(...) CHECK_OUTCOME(::test::compare_doubles(__VA_ARGS__))

// CHECK_ERROR(ErrorType, call, {parts...}): call() throws ErrorType, its message holding each part.
#define CHECK_ERROR(ErrorType, ...) CHECK_OUTCOME(::test::expect_error<ErrorType>(__VA_ARGS__))
