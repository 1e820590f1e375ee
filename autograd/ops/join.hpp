// Joining tensors: cat (concat) along an existing dim, stack along a new one.
#pragma once

#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// All shapes equal except along `dim`.
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0, CallSite = {});
Tensor concat(const std::vector<Tensor>& tensors, int64_t dim = 0, CallSite = {});
// All shapes equal; the result has a new dim of size tensors.size() at `dim`.
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0, CallSite = {});

}  // namespace descent
