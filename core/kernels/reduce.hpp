// Reduction kernels: sums (to any broadcast-compatible shape), max/min and arg-max/min along a dim.
// Plain loops over .data(): xtensor's reducers are scalar and slow on strided axes (docs/design.md,
// "Speed decisions").
#pragma once

#include <cstdint>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::kernels {

// A tensor viewed as (outer, n, inner) around one dim: the layout every along-a-dim kernel walks.
struct Axis {
    int64_t outer, n, inner;
};
Axis split_at(const Shape& shape, int64_t dim);  // dim already normalised

// out = in summed down to out's shape: out, right-aligned with in, has each dim 1 or equal to in's.
// Covers sum over all, sum over a dim (keepdim shape) and the gradient of broadcasting.
void sum_to(const Tensor& in, Tensor& out);

// out (outer × inner) = max / min of in over the n axis. n > 0.
void max_along(const Tensor& in, Axis axis, Tensor& out);
void min_along(const Tensor& in, Axis axis, Tensor& out);
// Index of the first max / min over the n axis, for each (outer, inner).
std::vector<int64_t> argmax_along(const Tensor& in, Axis axis);
std::vector<int64_t> argmin_along(const Tensor& in, Axis axis);

}  // namespace descent::kernels
