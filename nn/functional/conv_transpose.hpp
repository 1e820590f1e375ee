// conv_transpose2d: the transposed 2-D convolution of NCHW images (PyTorch's, sometimes called a
// "deconvolution"): the gradient of conv2d w.r.t. its input, run forward. It is conv2d_input, so
// its backward is conv2d and conv2d_weight and every order of derivative is again a convolution.
#pragma once

#include <cstdint>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/functional/size2.hpp"

namespace descent::nn::functional {

// input (N, C, H, W), weight (C, O/groups, kh, kw), bias (O) or undefined -> (N, O, oh, ow),
// oh = (H - 1)·sh - 2·ph + dh·(kh - 1) + output_padding_h + 1. output_padding must be smaller
// than the stride or the dilation of its dim (ValueError otherwise, as PyTorch).
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                        Size2 stride = 1, Size2 padding = 0, Size2 output_padding = 0,
                        int64_t groups = 1, Size2 dilation = 1, CallSite = {});

namespace detail {
// conv_transpose2d whose errors name `who` (the ConvTranspose2d layer passes its name).
Tensor conv_transpose2d(const char* who, const Tensor& input, const Tensor& weight,
                        const Tensor& bias, Size2 stride, Size2 padding, Size2 output_padding,
                        int64_t groups, Size2 dilation);
// The output_padding that makes a transposed convolution of `input` (N, C, H, W) produce
// output_size (its last two entries: (oh, ow), (O, oh, ow) or (N, O, oh, ow)); ValueError naming
// the valid range when a size is out of reach, as PyTorch's _output_padding.
Size2 output_padding_for(const char* who, const Shape& input,
                         const std::vector<int64_t>& output_size, Size2 kernel_size, Size2 stride,
                         Size2 padding, Size2 dilation);
}  // namespace detail

}  // namespace descent::nn::functional
