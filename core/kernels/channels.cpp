// Per-channel statistics and affine maps over (N, C, S) buffers.
#include "descent/core/kernels/channels.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

namespace descent::kernels {

void channel_moments(const float* x, int64_t n, int64_t c, int64_t s, float* mean, float* var) {
    const double count = static_cast<double>(n * s);
    // x: (n, c, s); the variance from a second pass around the mean, not E[x²] - E[x]², which
    // cancels catastrophically in float data with a large mean. Each row (s values) sums in
    // float so the loop vectorises; the rows add up in double.
    std::vector<double> sum(static_cast<size_t>(c), 0.0), sq(static_cast<size_t>(c), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const float* row = x + (i * c + j) * s;
            float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
            for (int64_t k = 0; k < s; ++k) acc += row[k];
            sum[j] += acc;
        }
    for (int64_t j = 0; j < c; ++j) sum[j] /= count;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const float* row = x + (i * c + j) * s;
            const float m = static_cast<float>(sum[j]);
            float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
            for (int64_t k = 0; k < s; ++k) acc += (row[k] - m) * (row[k] - m);
            sq[j] += acc;
        }
    for (int64_t j = 0; j < c; ++j) {
        mean[j] = static_cast<float>(sum[j]);
        var[j] = static_cast<float>(sq[j] / count);
    }
}

void channel_normalizer(int64_t c, const float* mean, const float* var, float eps,
                        const float* weight, const float* bias, float* invstd, float* scale,
                        float* shift) {
    // all (c)
    for (int64_t j = 0; j < c; ++j) {
        invstd[j] = 1.0f / std::sqrt(var[j] + eps);
        scale[j] = (weight ? weight[j] : 1.0f) * invstd[j];
        shift[j] = (bias ? bias[j] : 0.0f) - mean[j] * scale[j];
    }
}

void channel_affine(const float* x, int64_t n, int64_t c, int64_t s, const float* scale,
                    const float* shift, float* y) {
    // x, y: (n, c, s); one channel's row at a time, so the inner loop vectorises
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const float* in = x + (i * c + j) * s;
            float* out = y + (i * c + j) * s;
            const float a = scale[j], b = shift[j];
            for (int64_t k = 0; k < s; ++k) out[k] = in[k] * a + b;
        }
}

void channel_grad_sums(const float* g, const float* x, int64_t n, int64_t c, int64_t s,
                       const float* mean, const float* invstd, float* sum_g, float* sum_gxhat) {
    // g, x: (n, c, s); Σ g·x̂ = invstd·Σ g·(x - mean), so the row loop needs no multiply by invstd
    std::vector<double> sg(static_cast<size_t>(c), 0.0), sgx(static_cast<size_t>(c), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const float* gr = g + (i * c + j) * s;
            const float* xr = x + (i * c + j) * s;
            const float m = mean[j];
            float a = 0.0f, b = 0.0f;
#pragma omp simd reduction(+ : a, b)
            for (int64_t k = 0; k < s; ++k) {
                a += gr[k];
                b += gr[k] * (xr[k] - m);
            }
            sg[j] += a;
            sgx[j] += b;
        }
    for (int64_t j = 0; j < c; ++j) {
        sum_g[j] = static_cast<float>(sg[j]);
        sum_gxhat[j] = static_cast<float>(sgx[j] * invstd[j]);
    }
}

void channel_affine2(const float* g, const float* x, int64_t n, int64_t c, int64_t s,
                     const float* a, const float* b, const float* k, float* y) {
    // g, x, y: (n, c, s); a, b, k: (c)
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < c; ++j) {
            const int64_t at = (i * c + j) * s;
            const float* __restrict gr = g + at;
            float* __restrict out = y + at;
            const float aj = a[j], bj = b[j], kj = k[j];
            if (x) {
                const float* __restrict xr = x + at;
                for (int64_t t = 0; t < s; ++t) out[t] = gr[t] * aj + xr[t] * bj + kj;
            } else {
                for (int64_t t = 0; t < s; ++t) out[t] = gr[t] * aj + kj;
            }
        }
}

}  // namespace descent::kernels
