// Reduction kernels: sums to a broadcast-compatible shape, max/min and arg-max/min along a dim.
#include "descent/core/kernels/reduce.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/kernels/rows.hpp"

namespace descent::kernels {

Axis split_at(const Shape& shape, int64_t dim) {
    Axis a{1, shape.empty() ? 1 : shape[dim], 1};
    for (int64_t d = 0; d < dim; ++d) a.outer *= shape[d];
    for (int64_t d = dim + 1; d < shape.ndim(); ++d) a.inner *= shape[d];
    return a;
}

namespace {

// Sum of n floats. Eight independent float lanes (the compiler vectorises them) over blocks of
// 4096, each block added into a double: far more accurate than one running float sum, and as fast.
double row_sum(const float* p, int64_t n) {
    double total = 0.0;
    for (int64_t start = 0; start < n; start += 4096) {
        const int64_t end = std::min(n, start + 4096);
        float lane[8] = {};
        int64_t i = start;
        for (; i + 8 <= end; i += 8)
            for (int j = 0; j < 8; ++j) lane[j] += p[i + j];
        double block = 0.0;
        for (int j = 0; j < 8; ++j) block += lane[j];
        for (; i < end; ++i) block += p[i];
        total += block;
    }
    return total;
}

// Keeps NaN: a NaN anywhere makes the max NaN, as in PyTorch.
inline float max_nan(float m, float v) { return (v > m || v != v) ? v : m; }
inline float min_nan(float m, float v) { return (v < m || v != v) ? v : m; }

// in: (outer, n, inner) -> out: (outer, inner)
template <class Pick>
void extreme_along(const float* x, Axis a, float* m, Pick pick) {
    for (int64_t o = 0; o < a.outer; ++o) {
        const float* xo = x + o * a.n * a.inner;
        float* mo = m + o * a.inner;
        std::copy_n(xo, a.inner, mo);
        for (int64_t j = 1; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) mo[k] = pick(mo[k], xo[j * a.inner + k]);
    }
}

// x: (outer, n, inner) -> idx: (outer, inner) indices of the first extreme
template <class Better>
void arg_along(const float* x, Axis a, int64_t* idx, Better better) {
    for (int64_t o = 0; o < a.outer; ++o) {
        for (int64_t k = 0; k < a.inner; ++k) {
            const float* xk = x + o * a.n * a.inner + k;
            int64_t best = 0;
            float v = xk[0];
            for (int64_t j = 1; j < a.n && v == v; ++j) {  // stops at a NaN, which wins
                const float c = xk[j * a.inner];
                if (better(c, v) || c != c) {
                    best = j;
                    v = c;
                }
            }
            idx[o * a.inner + k] = best;
        }
    }
}

}  // namespace

// pi: any shape; po: that shape with some dims 1 (right-aligned)
void sum_to(const float* pi, const Shape& is, float* po, const Shape& os) {
    std::fill_n(po, numel(os), 0.0f);
    // Iterate over in's shape; out is the operand that broadcasts (stride 0 on reduced dims).
    detail::for_each_row<1>(is, {&os}, [&](const detail::Row<1>& r) {
        const float* row = pi + r.out_offset;
        float* dst = po + r.offset[0];
        if (r.vector[0]) {
            for (int64_t i = 0; i < r.length; ++i) dst[i] += row[i];
        } else {
            *dst = static_cast<float>(*dst + row_sum(row, r.length));
        }
    });
}

void max_along(const float* in, Axis a, float* out) { extreme_along(in, a, out, max_nan); }
void min_along(const float* in, Axis a, float* out) { extreme_along(in, a, out, min_nan); }

void argmax_along(const float* in, Axis a, int64_t* index) {
    arg_along(in, a, index, [](float c, float v) { return c > v; });
}
void argmin_along(const float* in, Axis a, int64_t* index) {
    arg_along(in, a, index, [](float c, float v) { return c < v; });
}

}  // namespace descent::kernels
