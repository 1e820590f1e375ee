// Pooling loops: max with argmax (fixed or explicit windows), the gather / scatter along saved
// indices, windowed averages.
#include "descent/core/kernels/pool.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace descent::kernels {

template <class T>
void max_pool2d_impl(const T* x, int64_t P, int64_t H, int64_t W, int64_t kh, int64_t kw,
                     int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t oh, int64_t ow, T* y,
                     int32_t* argmax) {
    // x [P, H, W] -> y [P, oh, ow], argmax [P, oh*ow]
    if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) {
        // The common 2x2 case without the window bounds: four compares per output.
        for (int64_t p = 0; p < P; ++p)
            for (int64_t oi = 0; oi < oh; ++oi) {
                const T* r0 = x + (p * H + 2 * oi) * W;
                const T* r1 = r0 + W;
                const int32_t base = static_cast<int32_t>(2 * oi * W);
                for (int64_t oj = 0; oj < ow; ++oj) {
                    const int64_t j = 2 * oj;
                    T m = r0[j];
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
        const T* xp = x + p * H * W;
        for (int64_t oi = 0; oi < oh; ++oi) {
            const int64_t i0 = std::max<int64_t>(oi * sh - ph, 0);
            const int64_t i1 = std::min(oi * sh - ph + kh, H);
            for (int64_t oj = 0; oj < ow; ++oj) {
                const int64_t j0 = std::max<int64_t>(oj * sw - pw, 0);
                const int64_t j1 = std::min(oj * sw - pw + kw, W);
                int64_t best = i0 * W + j0;
                T m = xp[best];
                for (int64_t i = i0; i < i1; ++i)
                    for (int64_t j = j0; j < j1; ++j)
                        // `!(v <= m)` also lets a NaN win, so it propagates as in PyTorch.
                        if (const T v = xp[i * W + j]; !(v <= m)) {
                            m = v;
                            best = i * W + j;
                        }
                y[(p * oh + oi) * ow + oj] = m;
                argmax[(p * oh + oi) * ow + oj] = static_cast<int32_t>(best);
            }
        }
    }
}

template <class T>
void gather_planes_impl(const T* x, int64_t P, int64_t plane, const int32_t* index, int64_t n,
                        T* y) {
    // x [P, plane] -> y [P, n]
    for (int64_t p = 0; p < P; ++p)
        for (int64_t k = 0; k < n; ++k) y[p * n + k] = x[p * plane + index[p * n + k]];
}

template <class T>
void scatter_planes_impl(const T* g, int64_t P, int64_t n, const int32_t* index, int64_t plane,
                         T* x) {
    // g [P, n] -> x [P, plane]
    std::fill_n(x, P * plane, T(0.0));
    for (int64_t p = 0; p < P; ++p)
        for (int64_t k = 0; k < n; ++k) x[p * plane + index[p * n + k]] += g[p * n + k];
}

// An averaging window's scale in T. PoolWindows holds 1/divisor rounded to float; the divisor is
// an integer below 2^24, so in double it is recovered exactly and its reciprocal taken in double.
template <class T>
T window_scale(const PoolWindows& win, int64_t i) {
    if constexpr (std::is_same_v<T, float>) {
        return win.scale[i];
    } else {
        return T(1) / std::round(T(1) / T(win.scale[i]));
    }
}

template <class T>
void avg_pool2d_impl(const T* x, int64_t P, const PoolWindows& win, T* y) {
    // x [P, H, W] -> y [P, oh, ow]
    for (int64_t p = 0; p < P; ++p) {
        const T* xp = x + p * win.H * win.W;
        for (int64_t oi = 0; oi < win.oh; ++oi)
            for (int64_t oj = 0; oj < win.ow; ++oj) {
                T s = T(0.0);
                for (int64_t i = win.h0[oi]; i < win.h1[oi]; ++i)
                    for (int64_t j = win.w0[oj]; j < win.w1[oj]; ++j) s += xp[i * win.W + j];
                *y++ = s * window_scale<T>(win, oi * win.ow + oj);
            }
    }
}

template <class T>
void avg_pool2d_adjoint_impl(const T* g, int64_t P, const PoolWindows& win, T* x) {
    // g [P, oh, ow] -> x [P, H, W]
    std::fill_n(x, P * win.H * win.W, T(0.0));
    for (int64_t p = 0; p < P; ++p) {
        T* xp = x + p * win.H * win.W;
        for (int64_t oi = 0; oi < win.oh; ++oi)
            for (int64_t oj = 0; oj < win.ow; ++oj) {
                const T v = *g++ * window_scale<T>(win, oi * win.ow + oj);
                for (int64_t i = win.h0[oi]; i < win.h1[oi]; ++i)
                    for (int64_t j = win.w0[oj]; j < win.w1[oj]; ++j) xp[i * win.W + j] += v;
            }
    }
}

template <class T>
void max_pool2d_windows_impl(const T* x, int64_t P, const PoolWindows& win, T* y,
                             int32_t* argmax) {
    // x [P, H, W] -> y [P, oh, ow], argmax [P, oh*ow]
    for (int64_t p = 0; p < P; ++p) {
        const T* xp = x + p * win.H * win.W;
        for (int64_t oi = 0; oi < win.oh; ++oi)
            for (int64_t oj = 0; oj < win.ow; ++oj) {
                int64_t best = win.h0[oi] * win.W + win.w0[oj];
                T m = -std::numeric_limits<T>::infinity();
                for (int64_t i = win.h0[oi]; i < win.h1[oi]; ++i)
                    for (int64_t j = win.w0[oj]; j < win.w1[oj]; ++j)
                        // PyTorch's test: a NaN always wins (the last one, its index)
                        if (const T v = xp[i * win.W + j]; v > m || std::isnan(v)) {
                            m = v;
                            best = i * win.W + j;
                        }
                *y++ = m;
                *argmax++ = static_cast<int32_t>(best);
            }
    }
}

void max_pool2d_windows(const float* x, int64_t P, const PoolWindows& win, float* y,
                        int32_t* argmax) {
    max_pool2d_windows_impl(x, P, win, y, argmax);
}
void max_pool2d_windows(const double* x, int64_t P, const PoolWindows& win, double* y,
                        int32_t* argmax) {
    max_pool2d_windows_impl(x, P, win, y, argmax);
}

void max_pool2d(const float* x, int64_t P, int64_t H, int64_t W, int64_t kh, int64_t kw, int64_t sh,
                int64_t sw, int64_t ph, int64_t pw, int64_t oh, int64_t ow, float* y,
                int32_t* argmax) {
    max_pool2d_impl(x, P, H, W, kh, kw, sh, sw, ph, pw, oh, ow, y, argmax);
}
void max_pool2d(const double* x, int64_t P, int64_t H, int64_t W, int64_t kh, int64_t kw,
                int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t oh, int64_t ow, double* y,
                int32_t* argmax) {
    max_pool2d_impl(x, P, H, W, kh, kw, sh, sw, ph, pw, oh, ow, y, argmax);
}
void gather_planes(const float* x, int64_t P, int64_t plane, const int32_t* index, int64_t n,
                   float* y) {
    gather_planes_impl(x, P, plane, index, n, y);
}
void gather_planes(const double* x, int64_t P, int64_t plane, const int32_t* index, int64_t n,
                   double* y) {
    gather_planes_impl(x, P, plane, index, n, y);
}
void scatter_planes(const float* g, int64_t P, int64_t n, const int32_t* index, int64_t plane,
                    float* x) {
    scatter_planes_impl(g, P, n, index, plane, x);
}
void scatter_planes(const double* g, int64_t P, int64_t n, const int32_t* index, int64_t plane,
                    double* x) {
    scatter_planes_impl(g, P, n, index, plane, x);
}
void avg_pool2d(const float* x, int64_t P, const PoolWindows& win, float* y) {
    avg_pool2d_impl(x, P, win, y);
}
void avg_pool2d(const double* x, int64_t P, const PoolWindows& win, double* y) {
    avg_pool2d_impl(x, P, win, y);
}
void avg_pool2d_adjoint(const float* g, int64_t P, const PoolWindows& win, float* x) {
    avg_pool2d_adjoint_impl(g, P, win, x);
}
void avg_pool2d_adjoint(const double* g, int64_t P, const PoolWindows& win, double* x) {
    avg_pool2d_adjoint_impl(g, P, win, x);
}

}  // namespace descent::kernels
