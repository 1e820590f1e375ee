// conv2d: the 2-D convolution (cross-correlation, as PyTorch's) of NCHW images, and its two
// gradients as ops of their own (torch.nn.grad.conv2d_input / conv2d_weight). Each is im2col + one
// sgemm per image and group; the three are each other's backward, so every order of derivative
// is again one of them.
#pragma once

#include <cstddef>
#include <string>

#include "descent/core/tensor.hpp"
#include "descent/nn/functional/size2.hpp"

namespace descent::nn::functional {

// Padding: an int or a pair of zeros added on both sides, or "same" (the output has the input's
// size; stride 1 only; an odd total goes to the bottom / right, as PyTorch) or "valid" (none).
struct Padding {
    Size2 size = 0;
    bool same = false;
    Padding(int64_t both) : size(both) {}  // NOLINT: implicit, as `padding = 1`
    Padding(int64_t h, int64_t w) : size(h, w) {}
    Padding(Size2 s) : size(s) {}      // NOLINT
    Padding(const std::string& mode);  // NOLINT: "same" or "valid"; ValueError otherwise
    template <size_t N>  // a string literal; not a pointer, which a literal 0 would also match
    Padding(const char (&mode)[N]) : Padding(std::string(mode)) {}  // NOLINT
};

// input (N, C, H, W), weight (O, C/groups, kh, kw), bias (O) or undefined -> (N, O, oh, ow),
// oh = (H + 2·ph - dh·(kh - 1) - 1) / sh + 1. Errors (ShapeError / ValueError, before any
// allocation) name the op and the expected and actual shapes.
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
              Size2 stride = 1, Padding padding = 0, Size2 dilation = 1, int64_t groups = 1,
              CallSite = {});

// The gradient of conv2d w.r.t. its input: (N, O, oh, ow) -> input_size (N, C, H, W). A transposed
// convolution; differentiable (its backward is conv2d and conv2d_weight).
Tensor conv2d_input(const Shape& input_size, const Tensor& weight, const Tensor& grad_output,
                    Size2 stride = 1, Padding padding = 0, Size2 dilation = 1, int64_t groups = 1,
                    CallSite = {});

// The gradient of conv2d w.r.t. its weight: -> weight_size (O, C/groups, kh, kw). Differentiable
// (its backward is conv2d and conv2d_input).
Tensor conv2d_weight(const Tensor& input, const Shape& weight_size, const Tensor& grad_output,
                     Size2 stride = 1, Padding padding = 0, Size2 dilation = 1, int64_t groups = 1,
                     CallSite = {});

namespace detail {
// conv2d whose error messages name `who` (the Conv2d layer calls it with "Conv2d").
Tensor conv2d(const char* who, const Tensor& input, const Tensor& weight, const Tensor& bias,
              Size2 stride, const Padding& padding, Size2 dilation, int64_t groups, CallSite = {});
}  // namespace detail

}  // namespace descent::nn::functional
