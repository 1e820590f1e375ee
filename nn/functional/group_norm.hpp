// group_norm and instance_norm: normalise each sample over groups of channels (and all positions),
// then scale and shift per channel, as torch.nn.functional's. instance_norm is group_norm with one
// channel per group, without running statistics.
#pragma once

#include <cstdint>

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// input (N, C, *), weight and bias (C) or undefined -> (N, C, *): each (n, group of C/num_groups
// channels) has mean 0 and biased variance 1 (up to eps). ShapeError / ValueError name the call.
Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight = Tensor(),
                  const Tensor& bias = Tensor(), double eps = 1e-5, CallSite = {});

// input (N, C, *), weight and bias (C) or undefined: every (n, c) normalised over its positions
// (use_input_stats only: no running statistics).
Tensor instance_norm(const Tensor& input, const Tensor& weight = Tensor(),
                     const Tensor& bias = Tensor(), double eps = 1e-5, CallSite = {});

namespace detail {
// group_norm with errors naming `who`.
Tensor group_norm(const char* who, const Tensor& input, int64_t num_groups, const Tensor& weight,
                  const Tensor& bias, double eps);
}  // namespace detail

}  // namespace descent::nn::functional
