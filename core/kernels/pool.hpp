// Pooling loops over planes (one plane = one channel of one image, P = N·C planes). Max pooling
// records each output's argmax so that its backward (and that backward's backward) is a scatter
// (and a gather) along the same indices; average pooling is described by explicit windows, which
// covers padding, count_include_pad and adaptive pooling with one pair of loops. For float and
// double buffers.
#pragma once

#include <cstdint>
#include <vector>

namespace descent::kernels {

// x [P, H, W] -> y [P, oh, ow], argmax [P, oh*ow] (the index h·W + w inside the plane). Windows
// start at oi·sh - ph; padded positions never win (as -inf padding). The first maximum wins a tie.
void max_pool2d(const float* x, int64_t P, int64_t H, int64_t W, int64_t kh, int64_t kw, int64_t sh,
                int64_t sw, int64_t ph, int64_t pw, int64_t oh, int64_t ow, float* y,
                int32_t* argmax);
void max_pool2d(const double* x, int64_t P, int64_t H, int64_t W, int64_t kh, int64_t kw,
                int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t oh, int64_t ow, double* y,
                int32_t* argmax);

// y [P, n] = x [P, plane][index]: each output reads the input element its index names.
void gather_planes(const float* x, int64_t P, int64_t plane, const int32_t* index, int64_t n,
                   float* y);
void gather_planes(const double* x, int64_t P, int64_t plane, const int32_t* index, int64_t n,
                   double* y);
// x [P, plane] = 0, then x[index] += g [P, n]: the adjoint of gather_planes.
void scatter_planes(const float* g, int64_t P, int64_t n, const int32_t* index, int64_t plane,
                    float* x);
void scatter_planes(const double* g, int64_t P, int64_t n, const int32_t* index, int64_t plane,
                    double* x);

// The averaging windows of one plane: output (i, j) is scale[i·ow + j] · Σ x[h0[i]:h1[i],
// w0[j]:w1[j]].
struct PoolWindows {
    int64_t H = 0, W = 0, oh = 0, ow = 0;
    std::vector<int64_t> h0, h1, w0, w1;  // [oh] and [ow]: clipped to the image
    std::vector<float> scale;             // [oh*ow]: 1 / the divisor
};

// x [P, H, W] -> y [P, oh, ow]
void avg_pool2d(const float* x, int64_t P, const PoolWindows& win, float* y);
void avg_pool2d(const double* x, int64_t P, const PoolWindows& win, double* y);
// g [P, oh, ow] -> x [P, H, W]: each output's gradient times its scale, spread over its window
// (the adjoint of avg_pool2d; x is overwritten).
void avg_pool2d_adjoint(const float* g, int64_t P, const PoolWindows& win, float* x);
void avg_pool2d_adjoint(const double* g, int64_t P, const PoolWindows& win, double* x);

// x [P, H, W] -> y [P, oh, ow], argmax [P, oh*ow]: the maximum over each of win's windows (its
// scale unused), as PyTorch's adaptive max pooling: the first maximum wins a tie, a NaN wins.
void max_pool2d_windows(const float* x, int64_t P, const PoolWindows& win, float* y,
                        int32_t* argmax);
void max_pool2d_windows(const double* x, int64_t P, const PoolWindows& win, double* y,
                        int32_t* argmax);

}  // namespace descent::kernels
