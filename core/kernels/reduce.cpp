// Reduction kernels: sums to a broadcast-compatible shape, max/min and arg-max/min along a dim (one
// template each, for float, double and int64_t), all / any of bool masks.
#include "descent/core/kernels/reduce.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "descent/core/kernels/rows.hpp"

namespace descent::kernels {

Axis split_at(const Shape& shape, int64_t dim) {
    Axis a{1, shape.empty() ? 1 : shape[dim], 1};
    for (int64_t d = 0; d < dim; ++d) a.outer *= shape[d];
    for (int64_t d = dim + 1; d < shape.ndim(); ++d) a.inner *= shape[d];
    return a;
}

namespace {

// What a sum of T accumulates in: double for floating types, int64_t (exact) for integers.
template <class T>
using Acc = std::conditional_t<std::is_integral_v<T>, int64_t, double>;

// Sum of n values. Eight independent lanes of T (the compiler vectorises them) over blocks of
// 4096, each block added into Acc: for float far more accurate than one running float sum, and as
// fast.
template <class T>
Acc<T> row_sum(const T* p, int64_t n) {
    Acc<T> total = 0;
    for (int64_t start = 0; start < n; start += 4096) {
        const int64_t end = std::min(n, start + 4096);
        T lane[8] = {};
        int64_t i = start;
        for (; i + 8 <= end; i += 8)
            for (int j = 0; j < 8; ++j) lane[j] += p[i + j];
        Acc<T> block = 0;
        for (int j = 0; j < 8; ++j) block += lane[j];
        for (; i < end; ++i) block += p[i];
        total += block;
    }
    return total;
}

// Keeps NaN: a NaN anywhere makes the max NaN, as in PyTorch.
template <class T>
T max_nan(T m, T v) {
    return (v > m || v != v) ? v : m;
}
template <class T>
T min_nan(T m, T v) {
    return (v < m || v != v) ? v : m;
}

// in: (outer, n, inner) -> out: (outer, inner)
template <class T, class Pick>
void extreme_along(const T* x, Axis a, T* m, Pick pick) {
    for (int64_t o = 0; o < a.outer; ++o) {
        const T* xo = x + o * a.n * a.inner;
        T* mo = m + o * a.inner;
        std::copy_n(xo, a.inner, mo);
        for (int64_t j = 1; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) mo[k] = pick(mo[k], xo[j * a.inner + k]);
    }
}

// x: (outer, n, inner) -> idx: (outer, inner) indices of the first extreme
template <class T, class Better>
void arg_along(const T* x, Axis a, int64_t* idx, Better better) {
    for (int64_t o = 0; o < a.outer; ++o) {
        for (int64_t k = 0; k < a.inner; ++k) {
            const T* xk = x + o * a.n * a.inner + k;
            int64_t best = 0;
            T v = xk[0];
            for (int64_t j = 1; j < a.n && v == v; ++j) {  // stops at a NaN, which wins
                const T c = xk[j * a.inner];
                if (better(c, v) || c != c) {
                    best = j;
                    v = c;
                }
            }
            idx[o * a.inner + k] = best;
        }
    }
}

// pi: any shape; po: that shape with some dims 1 (right-aligned)
template <class T>
void sum_to_impl(const T* pi, const Shape& is, T* po, const Shape& os) {
    std::fill_n(po, numel(os), T(0));
    // Iterate over in's shape; out is the operand that broadcasts (stride 0 on reduced dims).
    detail::for_each_row<1>(is, {&os}, [&](const detail::Row<1>& r) {
        const T* row = pi + r.out_offset;
        T* dst = po + r.offset[0];
        if (r.vector[0]) {
            for (int64_t i = 0; i < r.length; ++i) dst[i] += row[i];
        } else {
            *dst = static_cast<T>(*dst + row_sum(row, r.length));
        }
    });
}

template <class T>
bool greater(T c, T v) {
    return c > v;
}
template <class T>
bool less(T c, T v) {
    return c < v;
}

// in (outer, n, inner) -> out (outer, inner); `all` stops a slice at its first false, `any` at
// its first true
void bool_along(const bool* x, Axis a, bool* out, bool all) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t k = 0; k < a.inner; ++k) {
            const bool* xk = x + o * a.n * a.inner + k;
            bool r = all;
            for (int64_t j = 0; j < a.n && r == all; ++j) r = xk[j * a.inner];
            out[o * a.inner + k] = r;
        }
}

}  // namespace

void sum_to(const float* in, const Shape& is, float* out, const Shape& os) {
    sum_to_impl(in, is, out, os);
}
void sum_to(const double* in, const Shape& is, double* out, const Shape& os) {
    sum_to_impl(in, is, out, os);
}
void sum_to(const int64_t* in, const Shape& is, int64_t* out, const Shape& os) {
    sum_to_impl(in, is, out, os);
}

void max_along(const float* in, Axis a, float* out) { extreme_along(in, a, out, max_nan<float>); }
void max_along(const double* in, Axis a, double* out) {
    extreme_along(in, a, out, max_nan<double>);
}
void max_along(const int64_t* in, Axis a, int64_t* out) {
    extreme_along(in, a, out, max_nan<int64_t>);
}
void min_along(const float* in, Axis a, float* out) { extreme_along(in, a, out, min_nan<float>); }
void min_along(const double* in, Axis a, double* out) {
    extreme_along(in, a, out, min_nan<double>);
}
void min_along(const int64_t* in, Axis a, int64_t* out) {
    extreme_along(in, a, out, min_nan<int64_t>);
}

void argmax_along(const float* in, Axis a, int64_t* index) {
    arg_along(in, a, index, greater<float>);
}
void argmax_along(const double* in, Axis a, int64_t* index) {
    arg_along(in, a, index, greater<double>);
}
void argmax_along(const int64_t* in, Axis a, int64_t* index) {
    arg_along(in, a, index, greater<int64_t>);
}
void argmin_along(const float* in, Axis a, int64_t* index) { arg_along(in, a, index, less<float>); }
void argmin_along(const double* in, Axis a, int64_t* index) {
    arg_along(in, a, index, less<double>);
}
void argmin_along(const int64_t* in, Axis a, int64_t* index) {
    arg_along(in, a, index, less<int64_t>);
}

bool all(const bool* x, int64_t n) {
    return std::all_of(x, x + n, [](bool v) { return v; });
}
bool any(const bool* x, int64_t n) {
    return std::any_of(x, x + n, [](bool v) { return v; });
}
void all_along(const bool* in, Axis a, bool* out) { bool_along(in, a, out, true); }
void any_along(const bool* in, Axis a, bool* out) { bool_along(in, a, out, false); }

}  // namespace descent::kernels
