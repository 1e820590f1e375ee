// Data-movement kernels: permuting dims, copying a range of one dim out of / into a tensor
// (slicing, its gradient, and concatenation), and copying / filling between strided layouts (how
// a view is made contiguous, and how a write through a view reaches its base).
#pragma once

#include <vector>

#include "descent/core/dtype.hpp"
#include "descent/core/kernels/reduce.hpp"

namespace descent::kernels {

// in: shape -> out: shape permuted, out.shape[i] = shape[perm[i]]
void permute(const float* in, const Shape& shape, const std::vector<int64_t>& perm, float* out);

// in (outer, n, inner) -> out (outer, len, inner) = in[:, start:start+len, :]
void slice_copy(const float* in, Axis in_axis, int64_t start, int64_t len, float* out);
// src (outer, len, inner) -> out (outer, n, inner)[:, start:start+len, :] = src; the rest of out
// is untouched.
void slice_assign(const float* src, int64_t len, Axis out_axis, int64_t start, float* out);

// Strided layouts: element (i0, i1, ...) of `shape` lives at ptr + i0*strides[0] + i1*strides[1]
// + ... (strides in elements; 0 repeats an element, as an expanded dim).
// src (shape, src_strides) -> dst (shape, dst_strides), element by element
void strided_copy(const float* src, const std::vector<int64_t>& src_strides, float* dst,
                  const std::vector<int64_t>& dst_strides, const Shape& shape);
// dst (shape, dst_strides) += src (shape, src_strides), one element after another, so that dst
// positions reached twice (overlapping windows) receive both values: the adjoint of any view.
void strided_add(const float* src, const std::vector<int64_t>& src_strides, float* dst,
                 const std::vector<int64_t>& dst_strides, const Shape& shape);
// dst (shape, strides) = value
void strided_fill(float* dst, const std::vector<int64_t>& strides, const Shape& shape, float value);

// src (shape, src_strides) of dtype `from` -> dst (shape, dst_strides) of dtype `to`, each element
// converted as static_cast does (to bool: != 0). Any layouts and any pair of dtypes.
void convert(ScalarType from, const void* src, const std::vector<int64_t>& src_strides,
             ScalarType to, void* dst, const std::vector<int64_t>& dst_strides, const Shape& shape);

}  // namespace descent::kernels
