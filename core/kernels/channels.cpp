// Per-channel statistics and affine maps over (N, C, S) buffers.
#include "descent/core/kernels/channels.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace descent::kernels {

template <class T>
void channel_moments_impl(const T* x, int64_t n, int64_t c, int64_t s, T* mean, T* var) {
    const double count = static_cast<double>(n * s);
    // x: (n, c, s); the variance from a second pass around the mean, not E[x²] - E[x]², which
    // cancels catastrophically in float data with a large mean. Each row (s values) sums in
    // float so the loop vectorises; the rows add up in double.
    std::vector<double> sum(static_cast<size_t>(c), 0.0), sq(static_cast<size_t>(c), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const T* row = x + (i * c + j) * s;
            T acc = T(0.0);
#pragma omp simd reduction(+ : acc)
            for (int64_t k = 0; k < s; ++k) acc += row[k];
            sum[j] += acc;
        }
    for (int64_t j = 0; j < c; ++j) sum[j] /= count;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const T* row = x + (i * c + j) * s;
            const T m = static_cast<T>(sum[j]);
            T acc = T(0.0);
#pragma omp simd reduction(+ : acc)
            for (int64_t k = 0; k < s; ++k) acc += (row[k] - m) * (row[k] - m);
            sq[j] += acc;
        }
    for (int64_t j = 0; j < c; ++j) {
        mean[j] = static_cast<T>(sum[j]);
        var[j] = static_cast<T>(sq[j] / count);
    }
}

template <class T>
void channel_normalizer_impl(int64_t c, const T* mean, const T* var, T eps, const T* weight,
                             const T* bias, T* invstd, T* scale, T* shift) {
    // all (c)
    for (int64_t j = 0; j < c; ++j) {
        invstd[j] = T(1.0) / std::sqrt(var[j] + eps);
        scale[j] = (weight ? weight[j] : T(1.0)) * invstd[j];
        shift[j] = (bias ? bias[j] : T(0.0)) - mean[j] * scale[j];
    }
}

template <class T>
void channel_affine_impl(const T* x, int64_t n, int64_t c, int64_t s, const T* scale,
                         const T* shift, T* y) {
    // x, y: (n, c, s); one channel's row at a time, so the inner loop vectorises
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const T* in = x + (i * c + j) * s;
            T* out = y + (i * c + j) * s;
            const T a = scale[j], b = shift[j];
            for (int64_t k = 0; k < s; ++k) out[k] = in[k] * a + b;
        }
}

template <class T>
void channel_grad_sums_impl(const T* g, const T* x, int64_t n, int64_t c, int64_t s, const T* mean,
                            const T* invstd, T* sum_g, T* sum_gxhat) {
    // g, x: (n, c, s); Σ g·x̂ = invstd·Σ g·(x - mean), so the row loop needs no multiply by invstd
    std::vector<double> sg(static_cast<size_t>(c), 0.0), sgx(static_cast<size_t>(c), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const T* gr = g + (i * c + j) * s;
            const T* xr = x + (i * c + j) * s;
            const T m = mean[j];
            T a = T(0.0), b = T(0.0);
#pragma omp simd reduction(+ : a, b)
            for (int64_t k = 0; k < s; ++k) {
                a += gr[k];
                b += gr[k] * (xr[k] - m);
            }
            sg[j] += a;
            sgx[j] += b;
        }
    for (int64_t j = 0; j < c; ++j) {
        sum_g[j] = static_cast<T>(sg[j]);
        sum_gxhat[j] = static_cast<T>(sgx[j] * invstd[j]);
    }
}

template <class T>
void channel_affine2_impl(const T* g, const T* x, int64_t n, int64_t c, int64_t s, const T* a,
                          const T* b, const T* k, T* y) {
    // g, x, y: (n, c, s); a, b, k: (c)
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const int64_t at = (i * c + j) * s;
            const T* __restrict gr = g + at;
            T* __restrict out = y + at;
            const T aj = a[j], bj = b[j], kj = k[j];
            if (x) {
                const T* __restrict xr = x + at;
                for (int64_t t = 0; t < s; ++t) out[t] = gr[t] * aj + xr[t] * bj + kj;
            } else {
                for (int64_t t = 0; t < s; ++t) out[t] = gr[t] * aj + kj;
            }
        }
}

void channel_moments(const float* x, int64_t n, int64_t c, int64_t s, float* mean, float* var) {
    channel_moments_impl(x, n, c, s, mean, var);
}
void channel_moments(const double* x, int64_t n, int64_t c, int64_t s, double* mean, double* var) {
    channel_moments_impl(x, n, c, s, mean, var);
}
void channel_normalizer(int64_t c, const float* mean, const float* var, float eps,
                        const float* weight, const float* bias, float* invstd, float* scale,
                        float* shift) {
    channel_normalizer_impl(c, mean, var, eps, weight, bias, invstd, scale, shift);
}
void channel_normalizer(int64_t c, const double* mean, const double* var, double eps,
                        const double* weight, const double* bias, double* invstd, double* scale,
                        double* shift) {
    channel_normalizer_impl(c, mean, var, eps, weight, bias, invstd, scale, shift);
}
void channel_affine(const float* x, int64_t n, int64_t c, int64_t s, const float* scale,
                    const float* shift, float* y) {
    channel_affine_impl(x, n, c, s, scale, shift, y);
}
void channel_affine(const double* x, int64_t n, int64_t c, int64_t s, const double* scale,
                    const double* shift, double* y) {
    channel_affine_impl(x, n, c, s, scale, shift, y);
}
void channel_grad_sums(const float* g, const float* x, int64_t n, int64_t c, int64_t s,
                       const float* mean, const float* invstd, float* sum_g, float* sum_gxhat) {
    channel_grad_sums_impl(g, x, n, c, s, mean, invstd, sum_g, sum_gxhat);
}
void channel_grad_sums(const double* g, const double* x, int64_t n, int64_t c, int64_t s,
                       const double* mean, const double* invstd, double* sum_g, double* sum_gxhat) {
    channel_grad_sums_impl(g, x, n, c, s, mean, invstd, sum_g, sum_gxhat);
}
void channel_affine2(const float* g, const float* x, int64_t n, int64_t c, int64_t s,
                     const float* a, const float* b, const float* k, float* y) {
    channel_affine2_impl(g, x, n, c, s, a, b, k, y);
}
void channel_affine2(const double* g, const double* x, int64_t n, int64_t c, int64_t s,
                     const double* a, const double* b, const double* k, double* y) {
    channel_affine2_impl(g, x, n, c, s, a, b, k, y);
}

}  // namespace descent::kernels
