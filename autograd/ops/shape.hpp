// Shape ops, each a view sharing its input's storage (docs/design.md, "Strided views"): reshape,
// flatten, squeeze, unsqueeze, expand (stride 0), transpose / t / T / permute (strides reordered).
// reshape copies only when no strides can show the new shape; view refuses then.
#pragma once

#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// One dim may be -1, inferred from the element count. A view when a's strides allow it (always
// for a contiguous tensor), else a copy.
Tensor reshape(const Tensor& a, const Shape& shape, CallSite = {});
// The same, but always a view: ShapeError ("use reshape()") when a's strides cannot show `shape`.
Tensor view(const Tensor& a, const Shape& shape, CallSite = {});
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

// A contiguous copy with its own storage; differentiable (the gradient passes through).

Tensor clone(const Tensor& a, CallSite = {});

}  // namespace descent
