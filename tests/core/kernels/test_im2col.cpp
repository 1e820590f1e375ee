// kernels::im2col against the definition, one entry at a time, over widths 1-20 (so every length
// of row copy, below and above a vector block, is taken), paddings, strides and dilations.
#include "support.hpp"

#include <vector>

#include "descent/core/kernels/im2col.hpp"

using descent::kernels::ConvGeometry;

TEST_CASE("im2col: every entry is the input pixel its receptive field reads, or 0 in padding") {
    for (int64_t W = 1; W <= 20; ++W)
        for (int64_t k : {1, 2, 3, 5})
            for (int64_t pad : {0, 1, 2})
                for (int64_t stride : {1, 2})
                    for (int64_t dil : {1, 2}) {
                        ConvGeometry g;
                        g.C = 2, g.H = 6, g.W = W, g.kh = k, g.kw = k, g.sh = stride, g.sw = stride;
                        g.ph = pad, g.pw = pad, g.dh = dil, g.dw = dil;
                        const int64_t span = dil * (k - 1) + 1;
                        if (span > W + 2 * pad || span > g.H + 2 * pad) continue;
                        g.oh = (g.H + 2 * pad - span) / stride + 1;
                        g.ow = (W + 2 * pad - span) / stride + 1;
                        std::vector<float> x(static_cast<size_t>(g.C * g.H * W));
                        for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i + 1);
                        std::vector<float> cols(static_cast<size_t>(g.col_rows() * g.col_cols()),
                                                -1.0f);
                        descent::kernels::im2col(x.data(), g, cols.data());
                        int64_t wrong = 0;
                        for (int64_t c = 0; c < g.C; ++c)
                            for (int64_t ki = 0; ki < k; ++ki)
                                for (int64_t kj = 0; kj < k; ++kj)
                                    for (int64_t oi = 0; oi < g.oh; ++oi)
                                        for (int64_t oj = 0; oj < g.ow; ++oj) {
                                            const int64_t ih = oi * stride + ki * dil - pad;
                                            const int64_t iw = oj * stride + kj * dil - pad;
                                            const bool inside =
                                                ih >= 0 && ih < g.H && iw >= 0 && iw < W;
                                            const float want =
                                                inside ? x[static_cast<size_t>((c * g.H + ih) * W + iw)]
                                                       : 0.0f;
                                            const int64_t row = (c * k + ki) * k + kj;
                                            if (cols[static_cast<size_t>(row * g.col_cols() +
                                                                         oi * g.ow + oj)] != want)
                                                ++wrong;
                                        }
                        CAPTURE(W);
                        CAPTURE(k);
                        CAPTURE(pad);
                        CAPTURE(stride);
                        CAPTURE(dil);
                        CHECK(wrong == 0);
                    }
}
