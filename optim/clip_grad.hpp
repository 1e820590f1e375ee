// Gradient clipping between backward() and step(), as torch.nn.utils.clip_grad_norm_ and
// clip_grad_value_. Parameters without a gradient are ignored.
#pragma once

#include <limits>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::optim {

// Scales all gradients together so that their total norm (the norm of the norms, of order
// norm_type: any p > 0, or infinity for the max-abs) is at most max_norm:
// g *= min(1, max_norm / (total + 1e-6)). Returns the total norm before clipping. A non-finite
// total leaves NaNs in the gradients, as PyTorch does, unless error_if_nonfinite (ValueError).
double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

// Clamps every gradient element to [-clip_value, clip_value].
void clip_grad_value_(const std::vector<Tensor>& params, double clip_value);

constexpr double inf_norm = std::numeric_limits<double>::infinity();

}  // namespace descent::optim
