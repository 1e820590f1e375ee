// Plain-loop templates behind elementwise.hpp's arithmetic kernels for double and int64_t: one
// scalar formula per op, in loops the compiler vectorises where it can. No xtensor here: float64 is
// for precision (gradcheck, float64 models), not the hot path, and these TUs then build in seconds.
// float keeps its xtensor/xsimd kernels (elementwise_impl.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "descent/core/error.hpp"
#include "descent/core/kernels/elementwise.hpp"
#include "descent/core/kernels/rows.hpp"

namespace descent::kernels::detail {

// PyTorch's floor division: the quotient rounded toward -inf. For floats, torch's formula (the
// truncated quotient of a - fmod(a, b), corrected by one when the signs differ, then rounded to the
// nearest integer), so that it agrees with a - remainder; a / b when b == 0. For integers b == 0
// gives 0 (the op layer raises ZeroDivisionError before), and b == -1 is a wrapping negation (no
// INT64_MIN / -1 trap).
template <class T>
T floor_divide(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
        if (b == 0) return 0;
        if (b == -1) return static_cast<T>(0 - static_cast<uint64_t>(a));
        const T q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    } else {
        if (b == 0) return a / b;
        const T mod = std::fmod(a, b);
        T div = (a - mod) / b;
        if (mod != 0 && ((b < 0) != (mod < 0))) div -= T(1);
        if (div == 0) return std::copysign(T(0), a / b);
        T q = std::floor(div);
        if (div - q > T(0.5)) q += T(1);
        return q;
    }
}

// PyTorch's remainder: a - floor(a / b)·b, with the sign of b. Integers: 0 when b == 0 (see
// floor_divide).
template <class T>
T remainder(T a, T b) {
    if constexpr (std::is_integral_v<T>) {
        if (b == 0 || b == -1) return 0;
        const T r = a % b;
        return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    } else {
        T r = std::fmod(a, b);
        if (r != 0 && ((b < 0) != (r < 0))) r += b;
        return r;
    }
}

// in, y: (n); the same formulas as the float kernels, one element at a time
template <class T>
void unary_loop(Unary op, const T* in, int64_t n, T* y, T p0, T p1) {
    auto each = [&](auto f) { std::transform(in, in + n, y, f); };
    if constexpr (std::is_integral_v<T>) {
        switch (op) {
            case Unary::Neg: each([](T v) { return -v; }); return;
            case Unary::Abs: each([](T v) { return v < 0 ? -v : v; }); return;
            case Unary::Sign: each([](T v) { return T(v > 0) - T(v < 0); }); return;
            default: DESCENT_ASSERT(false, "(unary op ", int(op), " on integers)"); return;
        }
    } else {
        switch (op) {
            case Unary::Neg: each([](T v) { return -v; }); return;
            case Unary::Exp: each([](T v) { return std::exp(v); }); return;
            case Unary::Log: each([](T v) { return std::log(v); }); return;
            case Unary::Sqrt: each([](T v) { return std::sqrt(v); }); return;
            case Unary::Abs: each([](T v) { return std::abs(v); }); return;
            case Unary::Sign: each([](T v) { return T(v > 0) - T(v < 0); }); return;
            case Unary::Tanh: each([](T v) { return std::tanh(v); }); return;
            case Unary::Sigmoid: each([](T v) { return T(1) / (T(1) + std::exp(-v)); }); return;
            case Unary::Sin: each([](T v) { return std::sin(v); }); return;
            case Unary::Cos: each([](T v) { return std::cos(v); }); return;
            case Unary::Log1p: each([](T v) { return std::log1p(v); }); return;
            case Unary::Expm1: each([](T v) { return std::expm1(v); }); return;
            case Unary::Rsqrt: each([](T v) { return T(1) / std::sqrt(v); }); return;
            case Unary::Reciprocal: each([](T v) { return T(1) / v; }); return;
            case Unary::Erf: each([](T v) { return std::erf(v); }); return;
            case Unary::Softplus:
                each([=](T v) { return v * p0 > p1 ? v : std::log1p(std::exp(v * p0)) / p0; });
                return;
            // Selects, so that a NaN input stays NaN (as the float kernels).
            case Unary::Relu: each([](T v) { return v <= T(0) ? T(0) : v; }); return;
            case Unary::LeakyRelu: each([=](T v) { return v > T(0) ? v : p0 * v; }); return;
            case Unary::Clamp: each([=](T v) { return v < p0 ? p0 : (v > p1 ? p1 : v); }); return;
            case Unary::Pow:
                if (p0 == T(2)) {
                    each([](T v) { return v * v; });
                } else {
                    each([=](T v) { return std::pow(v, p0); });
                }
                return;
            case Unary::Affine: each([=](T v) { return p0 * v + p1; }); return;
        }
    }
}

// a, b: broadcastable; out: broadcast shape. Integers: Add, Sub, Mul, Maximum, Minimum,
// FloorDivide, Remainder.
template <class T>
void binary_loop(Binary op, const T* a, const Shape& as, const T* b, const Shape& bs, T* out,
                 const Shape& os) {
    auto each = [&](auto f) { zip_rows(a, as, b, bs, out, os, f); };
    auto nan = [](T v) { return v != v; };
    switch (op) {
        case Binary::Add: each([](T x, T y) { return x + y; }); return;
        case Binary::Sub: each([](T x, T y) { return x - y; }); return;
        case Binary::Mul: each([](T x, T y) { return x * y; }); return;
        case Binary::FloorDivide: each(floor_divide<T>); return;
        case Binary::Remainder: each(remainder<T>); return;
        // A NaN in either operand gives NaN, as torch.maximum.
        case Binary::Maximum: each([=](T x, T y) { return x > y || nan(x) ? x : y; }); return;
        case Binary::Minimum: each([=](T x, T y) { return x < y || nan(x) ? x : y; }); return;
        default: break;
    }
    if constexpr (std::is_integral_v<T>) {
        DESCENT_ASSERT(false, "(binary op ", int(op), " on integers)");
    } else {
        switch (op) {
            case Binary::Div: each([](T x, T y) { return x / y; }); return;
            case Binary::Pow: each([](T x, T y) { return std::pow(x, y); }); return;
            case Binary::Eq: each([](T x, T y) { return T(x == y); }); return;
            case Binary::Ne: each([](T x, T y) { return T(x != y); }); return;
            case Binary::Lt: each([](T x, T y) { return T(x < y); }); return;
            case Binary::Le: each([](T x, T y) { return T(x <= y); }); return;
            case Binary::Gt: each([](T x, T y) { return T(x > y); }); return;
            case Binary::Ge: each([](T x, T y) { return T(x >= y); }); return;
            case Binary::Same:
                each([=](T x, T y) { return T(x == y || (nan(x) && nan(y))); });
                return;
            case Binary::GradUnlessNonPositive:
                each([](T x, T y) { return y <= T(0) ? T(0) : x; });
                return;
            default: DESCENT_ASSERT(false, "(binary op ", int(op), ")"); return;
        }
    }
}

// cond, a, b: broadcastable; out: broadcast shape; out = cond != 0 ? a : b
template <class T>
void where_loop(const T* pc, const Shape& cs, const T* pa, const Shape& as, const T* pb,
                const Shape& bs, T* po, const Shape& os) {
    for_each_row<3>(os, {&cs, &as, &bs}, [&](const Row<3>& r) {
        const T* rc = pc + r.offset[0];
        const T* ra = pa + r.offset[1];
        const T* rb = pb + r.offset[2];
        T* ro = po + r.out_offset;
        const int64_t sc = r.vector[0], sa = r.vector[1], sb = r.vector[2];
        for (int64_t i = 0; i < r.length; ++i) ro[i] = rc[i * sc] != T(0) ? ra[i * sa] : rb[i * sb];
    });
}

// x, y: (n); y += alpha·x
template <class T>
void axpy_loop(T alpha, const T* x, int64_t n, T* y) {
    for (int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

}  // namespace descent::kernels::detail
