// conv2d's three kernels, on float or double buffers, each a loop of one gemm per image and group
// (kernels/blas.hpp) around im2col / col2im (kernels/im2col.hpp): the forward, the input gradient
// and the weight gradient. Images are split into ranges over descent's thread pool; column matrices
// live in a per-thread workspace that grows to the largest layer and is kept, so a step allocates
// nothing here.
#pragma once

#include <cstdint>

#include "descent/core/kernels/im2col.hpp"

namespace descent::kernels {

// A batched, grouped convolution: N images, O output channels in G groups, one image's geometry.
struct Conv2dDims {
    int64_t N = 0, O = 0, G = 1;
    ConvGeometry geo;
    int64_t Cg() const { return geo.C / G; }                       // input channels per group
    int64_t Og() const { return O / G; }                           // output channels per group
    int64_t group_rows() const { return Cg() * geo.kh * geo.kw; }  // cols rows of one group
    int64_t in_size() const { return geo.C * geo.H * geo.W; }      // elements per input image
    int64_t out_size() const { return O * geo.oh * geo.ow; }       // elements per output image
};

// x [N, C, H, W], w [O, C/G, kh, kw], b [O] or null -> y [N, O, oh, ow]
void conv2d(const float* x, const float* w, const float* b, const Conv2dDims& d, float* y);
void conv2d(const double* x, const double* w, const double* b, const Conv2dDims& d, double* y);

// g [N, O, oh, ow], w [O, C/G, kh, kw] -> dx [N, C, H, W] = col2im(Wᵀ · g), per image and group
void conv2d_input(const float* g, const float* w, const Conv2dDims& d, float* dx);
void conv2d_input(const double* g, const double* w, const Conv2dDims& d, double* dx);

// x [N, C, H, W], g [N, O, oh, ow] -> dw [O, C/G, kh, kw] = Σ_n g_n · cols_nᵀ, per group
void conv2d_weight(const float* x, const float* g, const Conv2dDims& d, float* dw);
void conv2d_weight(const double* x, const double* g, const Conv2dDims& d, double* dw);

}  // namespace descent::kernels
