// Helpers of the float64 tests: random doubles that float32 cannot hold, and a comparison tight
// enough that a float32 computation anywhere on the way would fail it.
#pragma once

#include <cmath>
#include <random>
#include <sstream>

#include "support.hpp"

namespace test {

// A float64 tensor of `shape` with values uniform in [low, high), seeded; almost none of them is
// a float32 value.
inline descent::Tensor doubles(const descent::Shape& shape, uint64_t seed, double low = -1.0,
                               double high = 1.0) {
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(low, high);
    std::vector<double> v(static_cast<size_t>(n));
    for (double& x : v) x = u(rng);
    return descent::tensor(v, shape, descent::kFloat64);
}

// torch: ramp(*shape), v_i = (7·i mod n) + 0.1·i over the n elements, row-major, float64: distinct
// values in a scrambled order, as the resampling and pooling references make them.
inline descent::Tensor ramp(const descent::Shape& shape) {
    const int64_t n = descent::numel(shape);
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        v[static_cast<size_t>(i)] = static_cast<double>((7 * i) % n) + 0.1 * static_cast<double>(i);
    return descent::tensor(v, shape, descent::kFloat64);
}

// t is float64 of `shape` and within 1e-12 (relative, or absolute below 1) of `expected`: float32
// rounding (~6e-8) anywhere would fail it.
inline Outcome close_f64(const descent::Tensor& t, const descent::Shape& shape,
                         const std::vector<double>& expected, double tol = 1e-12) {
    std::ostringstream s;
    if (t.dtype() != descent::kFloat64) {
        s << "dtype " << t.dtype() << ", expected float64";
        return {false, s.str()};
    }
    if (t.shape() != shape || t.numel() != static_cast<int64_t>(expected.size())) {
        s << "shape " << t.shape() << ", expected " << shape;
        return {false, s.str()};
    }
    const std::vector<double> got = t.to_vector<double>();
    for (size_t i = 0; i < got.size(); ++i)
        if (!(std::abs(got[i] - expected[i]) <= tol * std::max(1.0, std::abs(expected[i])))) {
            s.precision(17);
            s << "element " << i << ": " << got[i] << ", expected " << expected[i];
            return {false, s.str()};
        }
    return {true, ""};
}

}  // namespace test

#define CHECK_F64(...) CHECK_OUTCOME(::test::close_f64(__VA_ARGS__))
