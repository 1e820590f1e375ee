// The 1-D convolution and poolings of (N, C, L) sequences: conv1d, max_pool1d, avg_pool1d and
// adaptive_avg_pool1d, as PyTorch's. Each runs the 2-D op on a unit-height image (N, C, 1, L), so
// it inherits its kernels, its gradients of every order and its speed.
#pragma once

#include <cstdint>
#include <optional>

#include "descent/core/tensor.hpp"
#include "descent/nn/functional/conv.hpp"

namespace descent::nn::functional {

// input (N, C, L) or unbatched (C, L), weight (O, C/groups, k), bias (O) or undefined ->
// (N, O, lo), lo = (L + 2·padding - dilation·(k - 1) - 1) / stride + 1. padding: one int, "same"
// or "valid" (ValueError for a pair). ShapeError for inputs of another rank.
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
              int64_t stride = 1, Padding padding = 0, int64_t dilation = 1, int64_t groups = 1,
              CallSite = {});

// input (N, C, L) or (C, L); stride defaults to the kernel size; padding at most half the kernel.
Tensor max_pool1d(const Tensor& input, int64_t kernel_size, std::optional<int64_t> stride = {},
                  int64_t padding = 0, CallSite = {});
Tensor avg_pool1d(const Tensor& input, int64_t kernel_size, std::optional<int64_t> stride = {},
                  int64_t padding = 0, bool count_include_pad = true, CallSite = {});
// window i spans [⌊i·L/lo⌋, ⌈(i+1)·L/lo⌉)
Tensor adaptive_avg_pool1d(const Tensor& input, int64_t output_size, CallSite = {});

namespace detail {
// The same, with errors naming `who` (the layers pass "Conv1d", "MaxPool1d", ...).
Tensor conv1d(const char* who, const Tensor& input, const Tensor& weight, const Tensor& bias,
              int64_t stride, const Padding& padding, int64_t dilation, int64_t groups);
Tensor max_pool1d(const char* who, const Tensor& input, int64_t kernel_size, int64_t stride,
                  int64_t padding);
Tensor avg_pool1d(const char* who, const Tensor& input, int64_t kernel_size, int64_t stride,
                  int64_t padding, bool count_include_pad);
Tensor adaptive_avg_pool1d(const char* who, const Tensor& input, int64_t output_size);
}  // namespace detail

}  // namespace descent::nn::functional
