// Per-channel kernels over a batch viewed as (N, C, S), S the product of the spatial dims: the
// mean and biased variance of each channel (batch norm's statistics) and y = x·scale[c] + shift[c]
// (batch norm's normalisation, the Normalize transform), and batch norm's fused backward. Each for
// float and double buffers.
#pragma once

#include <cstdint>

namespace descent::kernels {

// x: (n, c, s) -> mean, var: (c); var is biased (divides by n·s). Two passes, double sums.
void channel_moments(const float* x, int64_t n, int64_t c, int64_t s, float* mean, float* var);
void channel_moments(const double* x, int64_t n, int64_t c, int64_t s, double* mean, double* var);

// mean, var, weight, bias, invstd, scale, shift: (c). invstd = 1/√(var + eps),
// scale = weight·invstd, shift = bias - mean·scale; a null weight is ones, a null bias zeros.
void channel_normalizer(int64_t c, const float* mean, const float* var, float eps,
                        const float* weight, const float* bias, float* invstd, float* scale,
                        float* shift);
void channel_normalizer(int64_t c, const double* mean, const double* var, double eps,
                        const double* weight, const double* bias, double* invstd, double* scale,
                        double* shift);

// x, y: (n, c, s); scale, shift: (c). y may be x.
void channel_affine(const float* x, int64_t n, int64_t c, int64_t s, const float* scale,
                    const float* shift, float* y);
void channel_affine(const double* x, int64_t n, int64_t c, int64_t s, const double* scale,
                    const double* shift, double* y);

// g, x: (n, c, s); mean, invstd: (c) -> sum_g = Σ g, sum_gxhat = Σ g·(x - mean)·invstd, both (c),
// summed over n and s in double. Batch norm's dβ and dγ, and the two sums its dx needs.
void channel_grad_sums(const float* g, const float* x, int64_t n, int64_t c, int64_t s,
                       const float* mean, const float* invstd, float* sum_g, float* sum_gxhat);
void channel_grad_sums(const double* g, const double* x, int64_t n, int64_t c, int64_t s,
                       const double* mean, const double* invstd, double* sum_g, double* sum_gxhat);

// y = g·a[c] + x·b[c] + k[c] over (n, c, s): batch norm's dx is this affine map of g and x
// (x may be null when b is all zeros).
void channel_affine2(const float* g, const float* x, int64_t n, int64_t c, int64_t s,
                     const float* a, const float* b, const float* k, float* y);
void channel_affine2(const double* g, const double* x, int64_t n, int64_t c, int64_t s,
                     const double* a, const double* b, const double* k, double* y);

}  // namespace descent::kernels
