// conv2d's three float kernels on oneDNN's convolution primitives: direct convolutions in oneDNN's
// blocked layouts (nChw16c), with the NCHW buffers reordered in and out, as PyTorch's CPU
// convolutions run. kernels/conv.cpp uses them in place of im2col + gemm when descent is built with
// oneDNN; double, and geometries oneDNN cannot express, stay on im2col.
#pragma once

#include <cstdint>

#include "descent/core/kernels/conv.hpp"

namespace descent::kernels {

// Who computes float convolutions: oneDNN's primitives (the default when built with oneDNN) or
// im2col + gemm (kernels/conv.cpp). Tests and benchmarks switch to compare the two; OneDNN without
// oneDNN built in is a ValueError.
enum class ConvBackend { Im2col, OneDNN };
ConvBackend conv_backend_kind();
void set_conv_backend(ConvBackend backend);

namespace onednn {

// Whether the primitives can compute this convolution (the backend is OneDNN and the padding
// after the last row / column is not negative); when false the caller runs im2col.
bool handles(const Conv2dDims& d);

// The kernels of conv.hpp on n images of d's geometry (d.N is ignored), single-threaded: the
// caller splits a batch over its pool. Each overwrites its output.
// x [n, C, H, W], w [O, C/G, kh, kw], b [O] or null -> y [n, O, oh, ow]
void conv2d(const float* x, const float* w, const float* b, const Conv2dDims& d, int64_t n, float* y);
// g [n, O, oh, ow], w [O, C/G, kh, kw] -> dx [n, C, H, W]
void conv2d_input(const float* g, const float* w, const Conv2dDims& d, int64_t n, float* dx);
// x [n, C, H, W], g [n, O, oh, ow] -> dw [O, C/G, kh, kw], summed over the n images
void conv2d_weight(const float* x, const float* g, const Conv2dDims& d, int64_t n, float* dw);

}  // namespace onednn
}  // namespace descent::kernels
