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

// Calls row(c, ih, iw0, out_row) for each row of cols: channel c, input row ih (may be outside
// the image), first input column iw0, out_row = the cols row [ow] of that output row.
template <class F>
void for_each_row(const ConvGeometry& g, F&& row) {
    int64_t r = 0;
    for (int64_t c = 0; c < g.C; ++c)
        for (int64_t ki = 0; ki < g.kh; ++ki)
            for (int64_t kj = 0; kj < g.kw; ++kj, ++r) {
                const int64_t iw0 = kj * g.dw - g.pw;
                for (int64_t oi = 0; oi < g.oh; ++oi)
                    row(c, oi * g.sh - g.ph + ki * g.dh, iw0, (r * g.oh + oi) * g.ow);
            }
}

}  // namespace

void im2col(const float* x, const ConvGeometry& g, float* cols) {
    // x [C, H, W] -> cols [C*kh*kw, oh*ow]
    for_each_row(g, [&](int64_t c, int64_t ih, int64_t iw0, int64_t at) {
        float* out = cols + at;
        if (ih < 0 || ih >= g.H) {
            std::fill_n(out, g.ow, 0.0f);
            return;
        }
        int64_t lo, hi;
        valid_range(iw0, g.sw, g.W, g.ow, lo, hi);
        const float* in = x + (c * g.H + ih) * g.W;  // the input row; read at iw0 + oj·sw
        std::fill_n(out, lo, 0.0f);
        if (g.sw == 1)
            std::copy(in + iw0 + lo, in + iw0 + hi, out + lo);
        else
            for (int64_t oj = lo; oj < hi; ++oj) out[oj] = in[iw0 + oj * g.sw];
        std::fill(out + hi, out + g.ow, 0.0f);
    });
}

void col2im(const float* cols, const ConvGeometry& g, float* x) {
    // cols [C*kh*kw, oh*ow] -> x [C, H, W] (accumulated)
    for_each_row(g, [&](int64_t c, int64_t ih, int64_t iw0, int64_t at) {
        if (ih < 0 || ih >= g.H) return;
        int64_t lo, hi;
        valid_range(iw0, g.sw, g.W, g.ow, lo, hi);
        const float* in = cols + at;
        float* out = x + (c * g.H + ih) * g.W;
        for (int64_t oj = lo; oj < hi; ++oj) out[iw0 + oj * g.sw] += in[oj];
    });
}

}  // namespace descent::kernels
