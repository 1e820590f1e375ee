// im2col / col2im. Both walk the same (channel, kernel row, kernel column, output row) nest; for
// each output row the range of output columns that reads inside the image is computed once, so
// the inner loop has no bounds test (and is a copy when the stride is 1).
#include "descent/core/kernels/im2col.hpp"

#include <algorithm>

namespace descent::kernels {

namespace {

// Output columns [lo, hi) read input columns inside [0, W) at kernel column offset `iw0`
// (iw = iw0 + oj·sw).
void valid_range(int64_t iw0, int64_t sw, int64_t W, int64_t ow, int64_t& lo, int64_t& hi) {
    lo = iw0 >= 0 ? 0 : (-iw0 + sw - 1) / sw;
    hi = W - 1 - iw0 >= 0 ? (W - 1 - iw0) / sw + 1 : 0;
    lo = std::min(lo, ow);
    hi = std::max(lo, std::min(hi, ow));
}

// Calls row(src, lo, hi, at) for each row of cols (channel c, kernel offset (ki, kj), output row
// oi): output columns [lo, hi) read x[src + t·sw] for t = 0, 1, ...; src is -1 when the input
// row is padding; at is where the cols row [ow] starts. [lo, hi) depends on kj only, so its two
// divisions are hoisted out of the row loop.
template <class F>
void for_each_row(const ConvGeometry& g, F&& row) {
    int64_t r = 0;
    for (int64_t c = 0; c < g.C; ++c)
        for (int64_t ki = 0; ki < g.kh; ++ki)
            for (int64_t kj = 0; kj < g.kw; ++kj, ++r) {
                const int64_t iw0 = kj * g.dw - g.pw;
                int64_t lo, hi;
                valid_range(iw0, g.sw, g.W, g.ow, lo, hi);
                for (int64_t oi = 0; oi < g.oh; ++oi) {
                    const int64_t ih = oi * g.sh - g.ph + ki * g.dh;
                    const bool inside = ih >= 0 && ih < g.H;
                    row(inside ? (c * g.H + ih) * g.W + iw0 + lo * g.sw : -1, lo, hi,
                        (r * g.oh + oi) * g.ow);
                }
            }
}

}  // namespace

void im2col(const float* x, const ConvGeometry& g, float* cols) {
    // x [C, H, W] -> cols [C*kh*kw, oh*ow]
    for_each_row(g, [&](int64_t src, int64_t lo, int64_t hi, int64_t at) {
        // Rows are short (tens of floats): plain loops that the compiler vectorises beat
        // memcpy / memset calls.
        float* __restrict o = cols + at;
        if (src < 0) {
            for (int64_t oj = 0; oj < g.ow; ++oj) o[oj] = 0.0f;
            return;
        }
        const float* __restrict in = x + src;
        for (int64_t oj = 0; oj < lo; ++oj) o[oj] = 0.0f;
        if (g.sw == 1)
            for (int64_t t = 0; t < hi - lo; ++t) o[lo + t] = in[t];
        else
            for (int64_t t = 0; t < hi - lo; ++t) o[lo + t] = in[t * g.sw];
        for (int64_t oj = hi; oj < g.ow; ++oj) o[oj] = 0.0f;
    });
}

void col2im(const float* cols, const ConvGeometry& g, float* x) {
    // cols [C*kh*kw, oh*ow] -> x [C, H, W] (accumulated)
    for_each_row(g, [&](int64_t src, int64_t lo, int64_t hi, int64_t at) {
        if (src < 0) return;
        const float* __restrict in = cols + at + lo;
        float* __restrict out = x + src;
        if (g.sw == 1)
            for (int64_t t = 0; t < hi - lo; ++t) out[t] += in[t];
        else
            for (int64_t t = 0; t < hi - lo; ++t) out[t * g.sw] += in[t];
    });
}

}  // namespace descent::kernels
