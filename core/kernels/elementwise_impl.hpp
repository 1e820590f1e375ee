// The xtensor/xsimd templates behind elementwise.hpp's float arithmetic kernels (unary, binary,
// where, axpy), one vectorised formula per op. Private to core/kernels: elementwise.cpp
// instantiates them for float; double and int64_t use the plain loops of elementwise_loops.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xoperation.hpp>

#include "descent/core/error.hpp"
#include "descent/core/kernels/elementwise.hpp"
#include "descent/core/kernels/elementwise_loops.hpp"
#include "descent/core/kernels/rows.hpp"

namespace descent::kernels::detail {

// An xtensor view of n elements at p; no copy, no ownership.
template <class T>
auto vec(T* p, int64_t n) {
    return xt::adapt(p, static_cast<size_t>(n), xt::no_ownership(),
                     std::array<size_t, 1>{static_cast<size_t>(n)});
}
template <class T>
auto vec(const T* p, int64_t n) {
    return vec(const_cast<T*>(p), n);
}

// Applies f to every row of a broadcast binary op. f takes (vector|value, vector|value) and returns
// an xtensor expression; along a row at most one operand is a single value.
template <class T, class F>
void binary_rows(const T* pa, const Shape& as, const T* pb, const Shape& bs, T* po, const Shape& os,
                 F f) {
    for_each_row<2>(os, {&as, &bs}, [&](const Row<2>& r) {
        auto o = vec(po + r.out_offset, r.length);
        const T* ra = pa + r.offset[0];
        const T* rb = pb + r.offset[1];
        if (r.vector[0] && r.vector[1]) {
            xt::noalias(o) = f(vec(ra, r.length), vec(rb, r.length));
        } else if (r.vector[0]) {
            xt::noalias(o) = f(vec(ra, r.length), *rb);
        } else {
            xt::noalias(o) = f(*ra, vec(rb, r.length));
        }
    });
}

// A 0/1 mask of type T from a boolean expression.
template <class T, class E>
auto mask(E&& e) {
    return xt::cast<T>(std::forward<E>(e));
}

// NaN test of a row operand: a vector expression or, along a broadcast row, a single value.
template <class E>
auto is_nan(const E& x) {
    if constexpr (std::is_arithmetic_v<E>) {
        return x != x;
    } else {
        return xt::isnan(x);
    }
}

// in, y: (n)
template <class T>
void unary_impl(Unary op, const T* in, int64_t n, T* y, T p0, T p1) {
    auto x = vec(in, n);
    auto o = vec(y, n);
    switch (op) {
        case Unary::Neg: xt::noalias(o) = -x; break;
        case Unary::Exp: xt::noalias(o) = xt::exp(x); break;
        case Unary::Log: xt::noalias(o) = xt::log(x); break;
        case Unary::Sqrt: xt::noalias(o) = xt::sqrt(x); break;
        case Unary::Abs: xt::noalias(o) = xt::abs(x); break;
        case Unary::Sign: xt::noalias(o) = mask<T>(x > T(0)) - mask<T>(x < T(0)); break;
        case Unary::Tanh: xt::noalias(o) = xt::tanh(x); break;
        case Unary::Sigmoid: xt::noalias(o) = T(1) / (T(1) + xt::exp(-x)); break;
        case Unary::Sin: xt::noalias(o) = xt::sin(x); break;
        case Unary::Cos: xt::noalias(o) = xt::cos(x); break;
        case Unary::Log1p: xt::noalias(o) = xt::log1p(x); break;
        case Unary::Expm1: xt::noalias(o) = xt::expm1(x); break;
        // A true division, not the approximate rsqrt instruction (12 bits).
        case Unary::Rsqrt: xt::noalias(o) = T(1) / xt::sqrt(x); break;
        case Unary::Reciprocal: xt::noalias(o) = T(1) / x; break;
        case Unary::Erf: xt::noalias(o) = xt::erf(x); break;
        // Above the threshold exp would overflow, and log1p(exp(y)) = y to float precision.
        case Unary::Softplus:
            xt::noalias(o) = xt::where(x * p0 > p1, x, xt::log1p(xt::exp(x * p0)) / p0);
            break;
        // Written as selects, not xt::maximum / xt::minimum, so that a NaN input stays NaN.
        case Unary::Relu: xt::noalias(o) = xt::where(x <= T(0), T(0), x); break;
        case Unary::LeakyRelu: xt::noalias(o) = xt::where(x > T(0), x, p0 * x); break;
        case Unary::Clamp: xt::noalias(o) = xt::where(x < p0, p0, xt::where(x > p1, p1, x)); break;
        case Unary::Pow:
            if (p0 == T(2)) {
                xt::noalias(o) = x * x;  // the common case, exact and fast
            } else {
                xt::noalias(o) = xt::pow(x, p0);
            }
            break;
        case Unary::Affine: xt::noalias(o) = p0 * x + p1; break;
    }
}

// a, b: broadcastable; out: broadcast shape
template <class T>
void binary_impl(Binary op, const T* a, const Shape& as, const T* b, const Shape& bs, T* out,
                 const Shape& os) {
    // One loop per op: the lambda is the op's formula, on rows or on a row and a single value.
    auto rows = [&](auto f) { binary_rows(a, as, b, bs, out, os, f); };
    auto each = [&](auto f) { zip_rows(a, as, b, bs, out, os, f); };
    switch (op) {
        case Binary::Add: rows([](auto&& x, auto&& y) { return x + y; }); return;
        case Binary::Sub: rows([](auto&& x, auto&& y) { return x - y; }); return;
        case Binary::Mul: rows([](auto&& x, auto&& y) { return x * y; }); return;
        case Binary::FloorDivide: each(floor_divide<T>); return;
        case Binary::Remainder: each(remainder<T>); return;
        case Binary::Div: rows([](auto&& x, auto&& y) { return x / y; }); break;
        case Binary::Pow: rows([](auto&& x, auto&& y) { return xt::pow(x, y); }); break;
        // A NaN in either operand gives NaN, as torch.maximum; xt::maximum (SIMD max) returns
        // its second operand when either is NaN, so the result would depend on the order.
        case Binary::Maximum:
            rows([](auto&& x, auto&& y) { return xt::where(x > y || is_nan(x), x, y); });
            break;
        case Binary::Minimum:
            rows([](auto&& x, auto&& y) { return xt::where(x < y || is_nan(x), x, y); });
            break;
        case Binary::Eq: rows([](auto&& x, auto&& y) { return mask<T>(xt::equal(x, y)); }); break;
        case Binary::Ne:
            rows([](auto&& x, auto&& y) { return mask<T>(xt::not_equal(x, y)); });
            break;
        case Binary::Lt: rows([](auto&& x, auto&& y) { return mask<T>(x < y); }); break;
        case Binary::Le: rows([](auto&& x, auto&& y) { return mask<T>(x <= y); }); break;
        case Binary::Gt: rows([](auto&& x, auto&& y) { return mask<T>(x > y); }); break;
        case Binary::Ge: rows([](auto&& x, auto&& y) { return mask<T>(x >= y); }); break;
        case Binary::Same:
            rows([](auto&& x, auto&& y) {
                return mask<T>(xt::equal(x, y) || (is_nan(x) && is_nan(y)));
            });
            break;
        case Binary::GradUnlessNonPositive:
            rows([](auto&& x, auto&& y) { return xt::where(y <= T(0), T(0), x); });
            break;
        default: break;
    }
}

// cond, a, b: broadcastable; out: broadcast shape; out = cond != 0 ? a : b
template <class T>
void where_impl(const T* pc, const Shape& cs, const T* pa, const Shape& as, const T* pb,
                const Shape& bs, T* po, const Shape& os) {
    for_each_row<3>(os, {&cs, &as, &bs}, [&](const Row<3>& r) {
        const int64_t n = r.length;
        const T* rc = pc + r.offset[0];
        const T* ra = pa + r.offset[1];
        const T* rb = pb + r.offset[2];
        auto o = vec(po + r.out_offset, n);
        if (!r.vector[0]) {  // one condition for the row: copy a row of a or of b
            const bool take_a = *rc != T(0);
            const T* src = take_a ? ra : rb;
            const bool src_vector = take_a ? r.vector[1] : r.vector[2];
            if (src_vector) {
                std::memcpy(po + r.out_offset, src, sizeof(T) * n);
            } else {
                std::fill_n(po + r.out_offset, n, *src);
            }
            return;
        }
        auto c = xt::not_equal(vec(rc, n), T(0));
        if (r.vector[1] && r.vector[2]) {
            xt::noalias(o) = xt::where(c, vec(ra, n), vec(rb, n));
        } else if (r.vector[1]) {
            xt::noalias(o) = xt::where(c, vec(ra, n), *rb);
        } else if (r.vector[2]) {
            xt::noalias(o) = xt::where(c, *ra, vec(rb, n));
        } else {
            xt::noalias(o) = xt::where(c, *ra, *rb);
        }
    });
}

// x, y: (n); y += alpha·x
template <class T>
void axpy_impl(T alpha, const T* x, int64_t n, T* y) {
    auto o = vec(y, n);
    if (alpha == T(1)) {
        xt::noalias(o) += vec(x, n);
    } else {
        xt::noalias(o) += alpha * vec(x, n);
    }
}

}  // namespace descent::kernels::detail
