// Reduction kernels: sums (to any broadcast-compatible shape), max/min and arg-max/min along a dim.
// Plain loops over the buffers: xtensor's reducers are scalar and slow on strided axes
// (docs/design.md, "Speed decisions").
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
void sum_to(const float* in, const Shape& in_shape, float* out, const Shape& out_shape);

// in (outer, n, inner) -> out (outer, inner) = max / min over the n axis. n > 0.
void max_along(const float* in, Axis axis, float* out);
void min_along(const float* in, Axis axis, float* out);
// in (outer, n, inner) -> index (outer, inner): where the first max / min over the n axis is.
void argmax_along(const float* in, Axis axis, int64_t* index);
void argmin_along(const float* in, Axis axis, int64_t* index);

}  // namespace descent::kernels
