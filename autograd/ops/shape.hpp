// Shape ops. reshape/view, flatten, squeeze and unsqueeze return views that share storage;
// expand, transpose and permute write a new contiguous tensor (descent tensors are always
// contiguous, which keeps every kernel a plain loop; matmul takes transposes as flags instead).
#pragma once

#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// One dim may be -1, inferred from the element count. Shares storage.
Tensor reshape(const Tensor& a, const Shape& shape, CallSite = {});
Tensor view(const Tensor& a, const Shape& shape,
            CallSite = {});  // the same as reshape: every tensor is contiguous
Tensor flatten(const Tensor& a, int64_t start_dim = 0, int64_t end_dim = -1, CallSite = {});
Tensor squeeze(const Tensor& a, CallSite = {});               // drops every dim of size 1
Tensor squeeze(const Tensor& a, int64_t dim, CallSite = {});  // drops dim if its size is 1
Tensor unsqueeze(const Tensor& a, int64_t dim, CallSite = {});

// Repeats size-1 dims (and new leading dims) up to `shape`; -1 keeps a dim's size.
Tensor expand(const Tensor& a, const Shape& shape, CallSite = {});
Tensor broadcast_to(const Tensor& a, const Shape& shape, CallSite = {});

Tensor transpose(const Tensor& a, int64_t dim0, int64_t dim1, CallSite = {});
Tensor permute(const Tensor& a, const std::vector<int64_t>& dims, CallSite = {});
Tensor t(const Tensor& a,
         CallSite = {});  // transpose of a matrix (a 0-d or 1-D tensor is returned as is)

// A copy with its own storage; differentiable (the gradient passes through).
Tensor clone(const Tensor& a, CallSite = {});

}  // namespace descent
