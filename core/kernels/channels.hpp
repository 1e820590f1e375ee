// Per-channel kernels over a batch viewed as (N, C, S), S the product of the spatial dims: the
// mean and biased variance of each channel (batch norm's statistics) and y = x·scale[c] + shift[c]
// (batch norm's normalisation, the Normalize transform).
#pragma once

#include <cstdint>

namespace descent::kernels {

// x: (n, c, s) -> mean, var: (c); var is biased (divides by n·s). Two passes, double sums.
void channel_moments(const float* x, int64_t n, int64_t c, int64_t s, float* mean, float* var);

// mean, var, weight, bias, invstd, scale, shift: (c). invstd = 1/√(var + eps),
// scale = weight·invstd, shift = bias - mean·scale; a null weight is ones, a null bias zeros.
void channel_normalizer(int64_t c, const float* mean, const float* var, float eps,
                        const float* weight, const float* bias, float* invstd, float* scale,
                        float* shift);

// x, y: (n, c, s); scale, shift: (c). y may be x.
void channel_affine(const float* x, int64_t n, int64_t c, int64_t s, const float* scale,
                    const float* shift, float* y);

}  // namespace descent::kernels
