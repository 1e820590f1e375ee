// Indexing kernels: index_select / gather and their adjoints (adding values back at the indices).
// Indices were range-checked by the caller. For float, double, int64_t and bool buffers (the adds:
// not bool).
#pragma once

#include "descent/core/kernels/reduce.hpp"

namespace descent::kernels {

// in (outer, n, inner), index (m) -> out (outer, m, inner) = in[:, index[j], :]
void index_select(const float* in, Axis in_axis, const int64_t* index, int64_t m, float* out);
void index_select(const double* in, Axis in_axis, const int64_t* index, int64_t m, double* out);
void index_select(const int64_t* in, Axis in_axis, const int64_t* index, int64_t m, int64_t* out);
void index_select(const bool* in, Axis in_axis, const int64_t* index, int64_t m, bool* out);
// src (outer, m, inner), index (m) -> out (outer, n, inner)[:, index[j], :] += src[:, j, :]
void index_add(const float* src, Axis out_axis, const int64_t* index, int64_t m, float* out);
void index_add(const double* src, Axis out_axis, const int64_t* index, int64_t m, double* out);
void index_add(const int64_t* src, Axis out_axis, const int64_t* index, int64_t m, int64_t* out);

// in (outer, n, inner), index (outer, inner) -> out (outer, 1, inner) = in[o, index[o, k], k]
void gather(const float* in, Axis in_axis, const int64_t* index, float* out);
void gather(const double* in, Axis in_axis, const int64_t* index, double* out);
void gather(const int64_t* in, Axis in_axis, const int64_t* index, int64_t* out);
void gather(const bool* in, Axis in_axis, const int64_t* index, bool* out);
// src (outer, 1, inner), index (outer, inner) -> out (outer, n, inner)[o, index[o, k], k] += src
void scatter_add(const float* src, Axis out_axis, const int64_t* index, float* out);
void scatter_add(const double* src, Axis out_axis, const int64_t* index, double* out);
void scatter_add(const int64_t* src, Axis out_axis, const int64_t* index, int64_t* out);

}  // namespace descent::kernels
