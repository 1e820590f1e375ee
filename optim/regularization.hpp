// Penalty terms added to a loss. L2 regularisation is the optimizers' weight_decay option (for SGD
// the gradient of (wd/2)·Σ p²); L1 has no such option, so it is a differentiable loss term.
#pragma once

#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::optim {

// lambda · Σ_params Σ |p|, a 0-d tensor recorded on the tape: add it to the loss before backward().
// Its gradient is lambda · sign(p) (0 where p is exactly 0).
Tensor l1_penalty(const std::vector<Tensor>& params, float lambda);

}  // namespace descent::optim
