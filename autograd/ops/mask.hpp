// Writing and reading through a bool mask: masked_fill (out of place, differentiable in a and in
// a tensor value; and in place) and masked_select (a 1-D copy of the selected elements,
// differentiable in a).
#pragma once

#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

// mask ? value : a, with mask (bool) broadcast to a's shape; the value is converted to a's dtype.
Tensor masked_fill(const Tensor& a, const Tensor& mask, double value, CallSite = {});
// value: a 0-d tensor (as PyTorch); differentiable in it too (the sum of g over the mask)
Tensor masked_fill(const Tensor& a, const Tensor& mask, const Tensor& value, CallSite = {});

// The elements of a where mask (bool, a and mask broadcast together), in row-major order: (k)
Tensor masked_select(const Tensor& a, const Tensor& mask, CallSite = {});

}  // namespace descent
