// Data-movement kernels: permuting dims, and copying a range of one dim out of / into a tensor
// (slicing, its gradient, and concatenation).
#pragma once

#include <vector>

#include "descent/core/kernels/reduce.hpp"

namespace descent::kernels {

// out = in with dims reordered: out.shape[i] = in.shape[perm[i]].
void permute(const Tensor& in, const std::vector<int64_t>& perm, Tensor& out);

// out (outer, len, inner) = in (outer, n, inner)[:, start:start+len, :]
void slice_copy(const Tensor& in, Axis in_axis, int64_t start, Tensor& out);
// out (outer, n, inner)[:, start:start+len, :] = src (outer, len, inner); the rest of out is
// untouched.
void slice_assign(const Tensor& src, Axis out_axis, int64_t start, Tensor& out);

}  // namespace descent::kernels
