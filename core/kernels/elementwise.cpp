// Elementwise kernels: unary, binary (broadcasting) and ternary passes over float buffers.
#include "descent/core/kernels/elementwise.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xoperation.hpp>

#include "descent/core/kernels/rows.hpp"

namespace descent::kernels {

namespace {

// An xtensor view of n floats at p; no copy, no ownership.
auto vec(float* p, int64_t n) {
    return xt::adapt(p, static_cast<size_t>(n), xt::no_ownership(),
                     std::array<size_t, 1>{static_cast<size_t>(n)});
}
auto vec(const float* p, int64_t n) { return vec(const_cast<float*>(p), n); }

// Applies f to every row of a broadcast binary op. f takes (vector|float, vector|float) and returns
// an xtensor expression; along a row at most one operand is a single value.
template <class F>
void binary_rows(const float* pa, const Shape& as, const float* pb, const Shape& bs, float* po,
                 const Shape& os, F f) {
    detail::for_each_row<2>(os, {&as, &bs}, [&](const detail::Row<2>& r) {
        auto o = vec(po + r.out_offset, r.length);
        const float* ra = pa + r.offset[0];
        const float* rb = pb + r.offset[1];
        if (r.vector[0] && r.vector[1]) {
            xt::noalias(o) = f(vec(ra, r.length), vec(rb, r.length));
        } else if (r.vector[0]) {
            xt::noalias(o) = f(vec(ra, r.length), *rb);
        } else {
            xt::noalias(o) = f(*ra, vec(rb, r.length));
        }
    });
}

// A 0/1 float mask from a boolean expression.
template <class E>
auto mask(E&& e) {
    return xt::cast<float>(std::forward<E>(e));
}

// NaN test of a row operand: a vector expression or, along a broadcast row, a single float.
template <class E>
auto is_nan(const E& x) {
    if constexpr (std::is_arithmetic_v<E>) {
        return x != x;
    } else {
        return xt::isnan(x);
    }
}

}  // namespace

// in, y: (n)
void unary(Unary op, const float* in, int64_t n, float* y, float p0, float p1) {
    auto x = vec(in, n);
    auto o = vec(y, n);
    switch (op) {
        case Unary::Neg: xt::noalias(o) = -x; break;
        case Unary::Exp: xt::noalias(o) = xt::exp(x); break;
        case Unary::Log: xt::noalias(o) = xt::log(x); break;
        case Unary::Sqrt: xt::noalias(o) = xt::sqrt(x); break;
        case Unary::Abs: xt::noalias(o) = xt::abs(x); break;
        case Unary::Sign: xt::noalias(o) = mask(x > 0.0f) - mask(x < 0.0f); break;
        case Unary::Tanh: xt::noalias(o) = xt::tanh(x); break;
        case Unary::Sigmoid: xt::noalias(o) = 1.0f / (1.0f + xt::exp(-x)); break;
        case Unary::Sin: xt::noalias(o) = xt::sin(x); break;
        case Unary::Cos: xt::noalias(o) = xt::cos(x); break;
        case Unary::Log1p: xt::noalias(o) = xt::log1p(x); break;
        case Unary::Expm1: xt::noalias(o) = xt::expm1(x); break;
        // A true division, not the approximate rsqrt instruction (12 bits).
        case Unary::Rsqrt: xt::noalias(o) = 1.0f / xt::sqrt(x); break;
        case Unary::Reciprocal: xt::noalias(o) = 1.0f / x; break;
        case Unary::Erf: xt::noalias(o) = xt::erf(x); break;
        // Above the threshold exp would overflow, and log1p(exp(y)) = y to float precision anyway.
        case Unary::Softplus:
            xt::noalias(o) = xt::where(x * p0 > p1, x, xt::log1p(xt::exp(x * p0)) / p0);
            break;
        // Written as selects, not xt::maximum / xt::minimum, so that a NaN input stays NaN.
        case Unary::Relu: xt::noalias(o) = xt::where(x <= 0.0f, 0.0f, x); break;
        case Unary::LeakyRelu: xt::noalias(o) = xt::where(x > 0.0f, x, p0 * x); break;
        case Unary::Clamp: xt::noalias(o) = xt::where(x < p0, p0, xt::where(x > p1, p1, x)); break;
        case Unary::Pow:
            if (p0 == 2.0f) {
                xt::noalias(o) = x * x;  // the common case, exact and fast
            } else {
                xt::noalias(o) = xt::pow(x, p0);
            }
            break;
        case Unary::Affine: xt::noalias(o) = p0 * x + p1; break;
    }
}

// a, b: broadcastable; out: broadcast shape
void binary(Binary op, const float* a, const Shape& as, const float* b, const Shape& bs, float* out,
            const Shape& os) {
    // One loop per op: the lambda is the op's formula, on rows or on a row and a single value.
    auto rows = [&](auto f) { binary_rows(a, as, b, bs, out, os, f); };
    switch (op) {
        case Binary::Add: rows([](auto&& x, auto&& y) { return x + y; }); break;
        case Binary::Sub: rows([](auto&& x, auto&& y) { return x - y; }); break;
        case Binary::Mul: rows([](auto&& x, auto&& y) { return x * y; }); break;
        case Binary::Div: rows([](auto&& x, auto&& y) { return x / y; }); break;
        case Binary::Pow: rows([](auto&& x, auto&& y) { return xt::pow(x, y); }); break;
        // A NaN in either operand gives NaN, as torch.maximum; xt::maximum (SIMD max) returns its
        // second operand when either is NaN, so the result would depend on the argument order.
        case Binary::Maximum:
            rows([](auto&& x, auto&& y) { return xt::where(x > y || is_nan(x), x, y); });
            break;
        case Binary::Minimum:
            rows([](auto&& x, auto&& y) { return xt::where(x < y || is_nan(x), x, y); });
            break;
        case Binary::Eq: rows([](auto&& x, auto&& y) { return mask(xt::equal(x, y)); }); break;
        case Binary::Ne: rows([](auto&& x, auto&& y) { return mask(xt::not_equal(x, y)); }); break;
        case Binary::Lt: rows([](auto&& x, auto&& y) { return mask(x < y); }); break;
        case Binary::Le: rows([](auto&& x, auto&& y) { return mask(x <= y); }); break;
        case Binary::Gt: rows([](auto&& x, auto&& y) { return mask(x > y); }); break;
        case Binary::Ge: rows([](auto&& x, auto&& y) { return mask(x >= y); }); break;
        case Binary::Same:
            rows([](auto&& x, auto&& y) {
                return mask(xt::equal(x, y) || (is_nan(x) && is_nan(y)));
            });
            break;
        case Binary::GradUnlessNonPositive:
            rows([](auto&& x, auto&& y) { return xt::where(y <= 0.0f, 0.0f, x); });
            break;
    }
}

// cond, a, b: broadcastable; out: broadcast shape
void where(const float* pc, const Shape& cs, const float* pa, const Shape& as, const float* pb,
           const Shape& bs, float* po, const Shape& os) {
    detail::for_each_row<3>(os, {&cs, &as, &bs}, [&](const detail::Row<3>& r) {
        const int64_t n = r.length;
        const float* rc = pc + r.offset[0];
        const float* ra = pa + r.offset[1];
        const float* rb = pb + r.offset[2];
        auto o = vec(po + r.out_offset, n);
        if (!r.vector[0]) {  // one condition for the row: copy a row of a or of b
            const bool take_a = *rc != 0.0f;
            const float* src = take_a ? ra : rb;
            const bool src_vector = take_a ? r.vector[1] : r.vector[2];
            if (src_vector) {
                std::memcpy(po + r.out_offset, src, sizeof(float) * n);
            } else {
                std::fill_n(po + r.out_offset, n, *src);
            }
            return;
        }
        auto c = xt::not_equal(vec(rc, n), 0.0f);
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

// x, y: (n)
void axpy(float alpha, const float* x, int64_t n, float* y) {
    auto o = vec(y, n);
    if (alpha == 1.0f) {
        xt::noalias(o) += vec(x, n);
    } else {
        xt::noalias(o) += alpha * vec(x, n);
    }
}

void fill(float* y, int64_t n, float value) { std::fill_n(y, n, value); }

// in: broadcastable to out
void broadcast_copy(const float* pi, const Shape& is, float* po, const Shape& os) {
    detail::for_each_row<1>(os, {&is}, [&](const detail::Row<1>& r) {
        if (r.vector[0]) {
            std::memcpy(po + r.out_offset, pi + r.offset[0], sizeof(float) * r.length);
        } else {
            std::fill_n(po + r.out_offset, r.length, pi[r.offset[0]]);
        }
    });
}

}  // namespace descent::kernels
