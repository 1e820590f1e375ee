// Pooling loops: max with argmax, the gather / scatter along saved indices, windowed averages.
#include "descent/core/kernels/pool.hpp"

#include <algorithm>

namespace descent::kernels {

void max_pool2d(const float* x, int64_t P, int64_t H, int64_t W, int64_t kh, int64_t kw, int64_t sh,
                int64_t sw, int64_t ph, int64_t pw, int64_t oh, int64_t ow, float* y,
                int32_t* argmax) {
    // x [P, H, W] -> y [P, oh, ow], argmax [P, oh*ow]
    if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) {
        // The common 2x2 case without the window bounds: four compares per output.
        for (int64_t p = 0; p < P; ++p)
            for (int64_t oi = 0; oi < oh; ++oi) {
                const float* r0 = x + (p * H + 2 * oi) * W;
                const float* r1 = r0 + W;
                const int32_t base = static_cast<int32_t>(2 * oi * W);
                for (int64_t oj = 0; oj < ow; ++oj) {
                    const int64_t j = 2 * oj;
                    float m = r0[j];
                    int32_t best = base + static_cast<int32_t>(j);
                    if (!(r0[j + 1] <= m)) m = r0[j + 1], best = base + static_cast<int32_t>(j + 1);
                    if (!(r1[j] <= m)) m = r1[j], best = base + static_cast<int32_t>(W + j);
                    if (!(r1[j + 1] <= m))
                        m = r1[j + 1], best = base + static_cast<int32_t>(W + j + 1);
                    *y++ = m;
                    *argmax++ = best;
                }
            }
        return;
    }
    for (int64_t p = 0; p < P; ++p) {
        const float* xp = x + p * H * W;
        for (int64_t oi = 0; oi < oh; ++oi) {
            const int64_t i0 = std::max<int64_t>(oi * sh - ph, 0);
            const int64_t i1 = std::min(oi * sh - ph + kh, H);
            for (int64_t oj = 0; oj < ow; ++oj) {
                const int64_t j0 = std::max<int64_t>(oj * sw - pw, 0);
                const int64_t j1 = std::min(oj * sw - pw + kw, W);
                int64_t best = i0 * W + j0;
                float m = xp[best];
                for (int64_t i = i0; i < i1; ++i)
                    for (int64_t j = j0; j < j1; ++j)
                        // `!(v <= m)` also lets a NaN win, so it propagates as in PyTorch.
                        if (const float v = xp[i * W + j]; !(v <= m)) {
                            m = v;
                            best = i * W + j;
                        }
                y[(p * oh + oi) * ow + oj] = m;
                argmax[(p * oh + oi) * ow + oj] = static_cast<int32_t>(best);
            }
        }
    }
}

void gather_planes(const float* x, int64_t P, int64_t plane, const int32_t* index, int64_t n,
                   float* y) {
    // x [P, plane] -> y [P, n]
    for (int64_t p = 0; p < P; ++p)
        for (int64_t k = 0; k < n; ++k) y[p * n + k] = x[p * plane + index[p * n + k]];
}

void scatter_planes(const float* g, int64_t P, int64_t n, const int32_t* index, int64_t plane,
                    float* x) {
    // g [P, n] -> x [P, plane]
    std::fill_n(x, P * plane, 0.0f);
    for (int64_t p = 0; p < P; ++p)
        for (int64_t k = 0; k < n; ++k) x[p * plane + index[p * n + k]] += g[p * n + k];
}

void avg_pool2d(const float* x, int64_t P, const PoolWindows& win, float* y) {
    // x [P, H, W] -> y [P, oh, ow]
    for (int64_t p = 0; p < P; ++p) {
        const float* xp = x + p * win.H * win.W;
        for (int64_t oi = 0; oi < win.oh; ++oi)
            for (int64_t oj = 0; oj < win.ow; ++oj) {
                float s = 0.0f;
                for (int64_t i = win.h0[oi]; i < win.h1[oi]; ++i)
                    for (int64_t j = win.w0[oj]; j < win.w1[oj]; ++j) s += xp[i * win.W + j];
                *y++ = s * win.scale[oi * win.ow + oj];
            }
    }
}

void avg_pool2d_adjoint(const float* g, int64_t P, const PoolWindows& win, float* x) {
    // g [P, oh, ow] -> x [P, H, W]
    std::fill_n(x, P * win.H * win.W, 0.0f);
    for (int64_t p = 0; p < P; ++p) {
        float* xp = x + p * win.H * win.W;
        for (int64_t oi = 0; oi < win.oh; ++oi)
            for (int64_t oj = 0; oj < win.ow; ++oj) {
                const float v = *g++ * win.scale[oi * win.ow + oj];
                for (int64_t i = win.h0[oi]; i < win.h1[oi]; ++i)
                    for (int64_t j = win.w0[oj]; j < win.w1[oj]; ++j) xp[i * win.W + j] += v;
            }
    }
}

}  // namespace descent::kernels
