// 2-D pooling of NCHW images: max_pool2d, avg_pool2d, adaptive_avg_pool2d, adaptive_max_pool2d,
// as PyTorch's (no ceil_mode or dilation). Max pooling saves its argmax; its backward scatters
// along it and that scatter's backward gathers along it again, so both poolings are
// differentiable to any order.
#pragma once

#include <optional>
#include <tuple>

#include "descent/core/tensor.hpp"
#include "descent/nn/functional/size2.hpp"

namespace descent::nn::functional {

// input (N, C, H, W) -> (N, C, oh, ow), oh = (H + 2·ph - kh) / sh + 1. stride defaults to the
// kernel size; padding (at most half the kernel) never wins the max. A tie goes to the first
// maximum in row-major order.
Tensor max_pool2d(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride = {},
                  Size2 padding = 0, CallSite = {});

// The mean over each window; padded zeros count in the divisor when count_include_pad.
Tensor avg_pool2d(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride = {},
                  Size2 padding = 0, bool count_include_pad = true, CallSite = {});

// input (N, C, H, W) -> (N, C, oh, ow): window i spans [⌊i·H/oh⌋, ⌈(i+1)·H/oh⌉), as PyTorch's.
Tensor adaptive_avg_pool2d(const Tensor& input, Size2 output_size, CallSite = {});

// input (N, C, H, W) -> (N, C, oh, ow): the maximum over the same windows; the first maximum
// wins a tie, a NaN wins. Differentiable to any order as max_pool2d (a gather along the argmax).
Tensor adaptive_max_pool2d(const Tensor& input, Size2 output_size, CallSite = {});
// The same and the argmax as int64 (N, C, oh, ow), each the flat index h·W + w inside its plane
// (PyTorch's return_indices = true).
std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(const Tensor& input, Size2 output_size,
                                                            CallSite = {});

namespace detail {
// ValueError naming `who` for a kernel or stride <= 0, or padding outside [0, kernel/2].
void check_pool_window(const char* who, Size2 kernel_size, Size2 stride, Size2 padding);
// The same, with error messages naming `who` (the layers pass "MaxPool2d", "AvgPool2d", ...).
Tensor max_pool2d(const char* who, const Tensor& input, Size2 kernel_size, Size2 stride,
                  Size2 padding, CallSite = {});
Tensor avg_pool2d(const char* who, const Tensor& input, Size2 kernel_size, Size2 stride,
                  Size2 padding, bool count_include_pad, CallSite = {});
Tensor adaptive_avg_pool2d(const char* who, const Tensor& input, Size2 output_size, CallSite = {});
std::tuple<Tensor, Tensor> adaptive_max_pool2d(const char* who, const Tensor& input,
                                               Size2 output_size, CallSite = {});
}  // namespace detail

}  // namespace descent::nn::functional
