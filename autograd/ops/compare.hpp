// Comparisons, elementwise extremes and selection, with broadcasting. Comparisons return float
// masks (1 where true, 0 where false) that do not require grad.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent {

// Gradient goes to the larger (smaller) input; on a tie it is split equally, and where either
// is NaN both get all of it, as in PyTorch.
Tensor maximum(const Tensor& a, const Tensor& b, CallSite = {});
Tensor minimum(const Tensor& a, const Tensor& b, CallSite = {});

Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);

Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
Tensor operator==(const Tensor& a, float b);
Tensor operator!=(const Tensor& a, float b);
Tensor operator<(const Tensor& a, float b);
Tensor operator<=(const Tensor& a, float b);
Tensor operator>(const Tensor& a, float b);
Tensor operator>=(const Tensor& a, float b);
Tensor operator==(float a, const Tensor& b);
Tensor operator!=(float a, const Tensor& b);
Tensor operator<(float a, const Tensor& b);
Tensor operator<=(float a, const Tensor& b);
Tensor operator>(float a, const Tensor& b);
Tensor operator>=(float a, const Tensor& b);

// cond != 0 ? a : b, elementwise with broadcasting of all three; differentiable in a and b.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b, CallSite = {});

}  // namespace descent
