// im2col / col2im. Both walk the same (channel, kernel row, kernel column, output row) nest; for
// each output row the range of output columns that reads inside the image is computed once, so
// the inner loop has no bounds test (and is a copy when the stride is 1).
#include "descent/core/kernels/im2col.hpp"

#include <algorithm>
#include <cstring>

namespace descent::kernels {

namespace {

// dst[0, n) = src[0, n) for the short rows of im2col: blocks of 8 and then one last block of 8 that
// overlaps the previous one (rewriting equal values), so no scalar tail; fixed-size memcpys compile
// to single vector moves.
template <class T>
inline void copy_short(const T* src, T* dst, int64_t n) {
    if (n >= 8) {
        int64_t t = 0;
        for (; t + 8 <= n; t += 8) std::memcpy(dst + t, src + t, 8 * sizeof(T));
        if (t < n) std::memcpy(dst + n - 8, src + n - 8, 8 * sizeof(T));
    } else if (n >= 4) {
        std::memcpy(dst, src, 4 * sizeof(T));
        std::memcpy(dst + n - 4, src + n - 4, 4 * sizeof(T));
    } else {
        for (int64_t t = 0; t < n; ++t) dst[t] = src[t];
    }
}

// Output columns [lo, hi) read input columns inside [0, W) at kernel column offset `iw0`
// (iw = iw0 + oj·sw).
void valid_range(int64_t iw0, int64_t sw, int64_t W, int64_t ow, int64_t& lo, int64_t& hi) {
    lo = iw0 >= 0 ? 0 : (-iw0 + sw - 1) / sw;
    hi = W - 1 - iw0 >= 0 ? (W - 1 - iw0) / sw + 1 : 0;
    lo = std::min(lo, ow);
    hi = std::max(lo, std::min(hi, ow));
}

// Calls block(src, lo, hi, i0, i1, at) once per row block of cols (channel c, kernel offset
// (ki, kj)): output rows [i0, i1) and columns [lo, hi) read inside the image, output (oi, lo + t)
// reading x[src + (oi - i0)·sh·W + t·sw]; the rest of the block is padding; at is where the
// block's [oh, ow] starts in cols. The ranges need divisions, so they are computed per block,
// not per row.
template <class F>
void for_each_block(const ConvGeometry& g, F&& block) {
    int64_t r = 0;
    for (int64_t c = 0; c < g.C; ++c)
        for (int64_t ki = 0; ki < g.kh; ++ki) {
            const int64_t ih0 = ki * g.dh - g.ph;
            int64_t i0, i1;
            valid_range(ih0, g.sh, g.H, g.oh, i0, i1);
            for (int64_t kj = 0; kj < g.kw; ++kj, ++r) {
                const int64_t iw0 = kj * g.dw - g.pw;
                int64_t lo, hi;
                valid_range(iw0, g.sw, g.W, g.ow, lo, hi);
                const int64_t src = (c * g.H + ih0 + i0 * g.sh) * g.W + iw0 + lo * g.sw;
                block(src, lo, hi, i0, i1, r * g.oh * g.ow);
            }
        }
}

}  // namespace

template <class T>
void im2col_impl(const T* x, const ConvGeometry& g, T* cols) {
    // x [C, H, W] -> cols [C*kh*kw, oh*ow]
    const int64_t ow = g.ow, sw = g.sw, row_step = g.sh * g.W;
    for_each_block(g, [&](int64_t src, int64_t lo, int64_t hi, int64_t i0, int64_t i1, int64_t at) {
        T* __restrict o = cols + at;
        // Padding rows above and below are contiguous runs of the block.
        std::fill(o, o + std::max<int64_t>(i0, 0) * ow, T(0.0));
        std::fill(o + i1 * ow, o + g.oh * ow, T(0.0));
        if (i1 <= i0) return;
        const T* __restrict in = x + src;
        // Rows are short (tens of floats): plain loops that the compiler vectorises, no calls.
        for (int64_t oi = i0; oi < i1; ++oi, in += row_step) {
            T* __restrict orow = o + oi * ow;
            for (int64_t oj = 0; oj < lo; ++oj) orow[oj] = T(0.0);
            if (sw == 1)
                copy_short(in, orow + lo, hi - lo);
            else
                for (int64_t t = 0; t < hi - lo; ++t) orow[lo + t] = in[t * sw];
            for (int64_t oj = hi; oj < ow; ++oj) orow[oj] = T(0.0);
        }
    });
}

template <class T>
void col2im_impl(const T* cols, const ConvGeometry& g, T* x) {
    // cols [C*kh*kw, oh*ow] -> x [C, H, W] (accumulated)
    const int64_t ow = g.ow, sw = g.sw, row_step = g.sh * g.W;
    for_each_block(g, [&](int64_t src, int64_t lo, int64_t hi, int64_t i0, int64_t i1, int64_t at) {
        if (i1 <= i0) return;
        T* __restrict out = x + src;
        for (int64_t oi = i0; oi < i1; ++oi, out += row_step) {
            const T* __restrict in = cols + at + oi * ow + lo;
            if (sw == 1)
                for (int64_t t = 0; t < hi - lo; ++t) out[t] += in[t];
            else
                for (int64_t t = 0; t < hi - lo; ++t) out[t * sw] += in[t];
        }
    });
}

void im2col(const float* x, const ConvGeometry& g, float* cols) { im2col_impl(x, g, cols); }
void im2col(const double* x, const ConvGeometry& g, double* cols) { im2col_impl(x, g, cols); }
void col2im(const float* cols, const ConvGeometry& g, float* x) { col2im_impl(cols, g, x); }
void col2im(const double* cols, const ConvGeometry& g, double* x) { col2im_impl(cols, g, x); }

}  // namespace descent::kernels
