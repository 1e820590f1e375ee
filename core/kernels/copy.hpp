// Data-movement kernels: permuting dims, and copying a range of one dim out of / into a tensor
// (slicing, its gradient, and concatenation).
#pragma once

#include <vector>

#include "descent/core/kernels/reduce.hpp"

namespace descent::kernels {

// in: shape -> out: shape permuted, out.shape[i] = shape[perm[i]]
void permute(const float* in, const Shape& shape, const std::vector<int64_t>& perm, float* out);

// in (outer, n, inner) -> out (outer, len, inner) = in[:, start:start+len, :]
void slice_copy(const float* in, Axis in_axis, int64_t start, int64_t len, float* out);
// src (outer, len, inner) -> out (outer, n, inner)[:, start:start+len, :] = src; the rest of out
// is untouched.
void slice_assign(const float* src, int64_t len, Axis out_axis, int64_t start, float* out);

}  // namespace descent::kernels
