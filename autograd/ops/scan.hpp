// Running sums and products along a dim (cumsum, cumprod) and the product reduction (prod). The
// product gradients never divide by the input, so they are right where entries are 0.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent {

Tensor cumsum(const Tensor& a, int64_t dim, CallSite = {});   // out_i = Σ_{j≤i} a_j along dim
Tensor cumprod(const Tensor& a, int64_t dim, CallSite = {});  // out_i = Π_{j≤i} a_j along dim

// Π of all elements (1 for none), or along one dim with keepdim, as torch.prod.
Tensor prod(const Tensor& a, CallSite = {});
Tensor prod(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});

}  // namespace descent
