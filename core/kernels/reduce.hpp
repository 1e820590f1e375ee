// Reduction kernels over float, double or int64_t buffers: sums (to any broadcast-compatible
// shape), max/min and arg-max/min along a dim, and all / any of bool masks. Plain loops over the
// buffers: xtensor's reducers are scalar and slow on strided axes (docs/design.md, "Speed
// decisions").
#pragma once

#include <cstdint>

#include "descent/core/shape.hpp"

namespace descent::kernels {

// A tensor viewed as (outer, n, inner) around one dim: the layout every along-a-dim kernel walks.
struct Axis {
    int64_t outer, n, inner;
};
Axis split_at(const Shape& shape, int64_t dim);  // dim already normalised

// in: in_shape -> out: out_shape, in summed down to it: out, right-aligned with in, has each dim 1
// or equal to in's. Covers sum over all, sum over a dim (keepdim shape) and the gradient of
// broadcasting.
// Floats are summed in double (blocks of float lanes), doubles in double, integers exactly.
void sum_to(const float* in, const Shape& in_shape, float* out, const Shape& out_shape);
void sum_to(const double* in, const Shape& in_shape, double* out, const Shape& out_shape);
void sum_to(const int64_t* in, const Shape& in_shape, int64_t* out, const Shape& out_shape);

// in (outer, n, inner) -> out (outer, inner) = max / min over the n axis (NaN wins). n > 0.
void max_along(const float* in, Axis axis, float* out);
void max_along(const double* in, Axis axis, double* out);
void max_along(const int64_t* in, Axis axis, int64_t* out);
void min_along(const float* in, Axis axis, float* out);
void min_along(const double* in, Axis axis, double* out);
void min_along(const int64_t* in, Axis axis, int64_t* out);
// in (outer, n, inner) -> index (outer, inner): where the first max / min over the n axis is.
void argmax_along(const float* in, Axis axis, int64_t* index);
void argmax_along(const double* in, Axis axis, int64_t* index);
void argmax_along(const int64_t* in, Axis axis, int64_t* index);
void argmin_along(const float* in, Axis axis, int64_t* index);
void argmin_along(const double* in, Axis axis, int64_t* index);
void argmin_along(const int64_t* in, Axis axis, int64_t* index);

// x: (n) -> every / some element true (all of none is true, any of none false)
bool all(const bool* x, int64_t n);
bool any(const bool* x, int64_t n);
// in (outer, n, inner) -> out (outer, inner) = all / any over the n axis
void all_along(const bool* in, Axis axis, bool* out);
void any_along(const bool* in, Axis axis, bool* out);

}  // namespace descent::kernels
