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
void extreme_along(const Tensor& in, Axis a, Tensor& out, Pick pick) {
    const float* x = in.data();
    float* m = out.data();
    for (int64_t o = 0; o < a.outer; ++o) {
        const float* xo = x + o * a.n * a.inner;
        float* mo = m + o * a.inner;
        std::copy_n(xo, a.inner, mo);
        for (int64_t j = 1; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) mo[k] = pick(mo[k], xo[j * a.inner + k]);
    }
}

// in: (outer, n, inner) -> (outer · inner) indices of the first extreme
template <class Better>
std::vector<int64_t> arg_along(const Tensor& in, Axis a, Better better) {
    std::vector<int64_t> idx(static_cast<size_t>(a.outer * a.inner), 0);
    const float* x = in.data();
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
    return idx;
}

}  // namespace

// in: any shape; out: in's shape with some dims 1 (right-aligned)
void sum_to(const Tensor& in, Tensor& out) {
    std::fill_n(out.data(), out.numel(), 0.0f);
    const float* pi = in.data();
    float* po = out.data();
    // Iterate over in's shape; out is the operand that broadcasts (stride 0 on reduced dims).
    detail::for_each_row<1>(in.shape(), {&out.shape()}, [&](const detail::Row<1>& r) {
        const float* row = pi + r.out_offset;
        float* dst = po + r.offset[0];
        if (r.vector[0]) {
            for (int64_t i = 0; i < r.length; ++i) dst[i] += row[i];
        } else {
            *dst = static_cast<float>(*dst + row_sum(row, r.length));
        }
    });
}

void max_along(const Tensor& in, Axis a, Tensor& out) { extreme_along(in, a, out, max_nan); }
void min_along(const Tensor& in, Axis a, Tensor& out) { extreme_along(in, a, out, min_nan); }

std::vector<int64_t> argmax_along(const Tensor& in, Axis a) {
    return arg_along(in, a, [](float c, float v) { return c > v; });
}
std::vector<int64_t> argmin_along(const Tensor& in, Axis a) {
    return arg_along(in, a, [](float c, float v) { return c < v; });
}

}  // namespace descent::kernels
