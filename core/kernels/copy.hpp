// Data-movement kernels: permuting dims, copying a range of one dim out of / into a tensor
// (slicing, its gradient, and concatenation), and copying / filling between strided layouts (how
// a view is made contiguous, and how a write through a view reaches its base), for float, double,
// int64_t and bool buffers (strided_add: not bool).
#pragma once

#include <vector>

#include "descent/core/dtype.hpp"
#include "descent/core/kernels/reduce.hpp"

namespace descent::kernels {

// in: shape -> out: shape permuted, out.shape[i] = shape[perm[i]]
void permute(const float* in, const Shape& shape, const std::vector<int64_t>& perm, float* out);
void permute(const double* in, const Shape& shape, const std::vector<int64_t>& perm, double* out);
void permute(const int64_t* in, const Shape& shape, const std::vector<int64_t>& perm, int64_t* out);
void permute(const bool* in, const Shape& shape, const std::vector<int64_t>& perm, bool* out);

// in (outer, n, inner) -> out (outer, len, inner) = in[:, start:start+len, :]
void slice_copy(const float* in, Axis in_axis, int64_t start, int64_t len, float* out);
void slice_copy(const double* in, Axis in_axis, int64_t start, int64_t len, double* out);
void slice_copy(const int64_t* in, Axis in_axis, int64_t start, int64_t len, int64_t* out);
void slice_copy(const bool* in, Axis in_axis, int64_t start, int64_t len, bool* out);
// src (outer, len, inner) -> out (outer, n, inner)[:, start:start+len, :] = src; the rest of out
// is untouched.
void slice_assign(const float* src, int64_t len, Axis out_axis, int64_t start, float* out);
void slice_assign(const double* src, int64_t len, Axis out_axis, int64_t start, double* out);
void slice_assign(const int64_t* src, int64_t len, Axis out_axis, int64_t start, int64_t* out);
void slice_assign(const bool* src, int64_t len, Axis out_axis, int64_t start, bool* out);

// Strided layouts: element (i0, i1, ...) of `shape` lives at ptr + i0*strides[0] + i1*strides[1]
// + ... (strides in elements; 0 repeats an element, as an expanded dim).
// src (shape, src_strides) -> dst (shape, dst_strides), element by element
void strided_copy(const float* src, const std::vector<int64_t>& src_strides, float* dst,
                  const std::vector<int64_t>& dst_strides, const Shape& shape);
void strided_copy(const double* src, const std::vector<int64_t>& src_strides, double* dst,
                  const std::vector<int64_t>& dst_strides, const Shape& shape);
void strided_copy(const int64_t* src, const std::vector<int64_t>& src_strides, int64_t* dst,
                  const std::vector<int64_t>& dst_strides, const Shape& shape);
void strided_copy(const bool* src, const std::vector<int64_t>& src_strides, bool* dst,
                  const std::vector<int64_t>& dst_strides, const Shape& shape);
// dst (shape, dst_strides) += src (shape, src_strides), one element after another, so that dst
// positions reached twice (overlapping windows) receive both values: the adjoint of any view.
void strided_add(const float* src, const std::vector<int64_t>& src_strides, float* dst,
                 const std::vector<int64_t>& dst_strides, const Shape& shape);
void strided_add(const double* src, const std::vector<int64_t>& src_strides, double* dst,
                 const std::vector<int64_t>& dst_strides, const Shape& shape);
void strided_add(const int64_t* src, const std::vector<int64_t>& src_strides, int64_t* dst,
                 const std::vector<int64_t>& dst_strides, const Shape& shape);
// dst (shape, strides) = value
void strided_fill(float* dst, const std::vector<int64_t>& strides, const Shape& shape, float value);
void strided_fill(double* dst, const std::vector<int64_t>& strides, const Shape& shape,
                  double value);
void strided_fill(int64_t* dst, const std::vector<int64_t>& strides, const Shape& shape,
                  int64_t value);
void strided_fill(bool* dst, const std::vector<int64_t>& strides, const Shape& shape, bool value);

// src (shape, src_strides) of dtype `from` -> dst (shape, dst_strides) of dtype `to`, each element
// converted as static_cast does (to bool: != 0). Any layouts and any pair of dtypes.
void convert(ScalarType from, const void* src, const std::vector<int64_t>& src_strides,
             ScalarType to, void* dst, const std::vector<int64_t>& dst_strides, const Shape& shape);

}  // namespace descent::kernels
