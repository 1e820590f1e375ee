// Indexing kernels: index_select / gather and their adjoints (adding values back at the indices).
// Indices were range-checked by the caller.
#pragma once

#include <vector>

#include "descent/core/kernels/reduce.hpp"

namespace descent::kernels {

// out (outer, m, inner) = in (outer, n, inner)[:, index[j], :] for j < m = index.size()
void index_select(const Tensor& in, Axis in_axis, const std::vector<int64_t>& index, Tensor& out);
// out (outer, n, inner)[:, index[j], :] += src (outer, m, inner)[:, j, :]
void index_add(const Tensor& src, Axis out_axis, const std::vector<int64_t>& index, Tensor& out);

// out (outer, 1, inner)[o, 0, k] = in (outer, n, inner)[o, index[o·inner + k], k]
void gather(const Tensor& in, Axis in_axis, const std::vector<int64_t>& index, Tensor& out);
// out (outer, n, inner)[o, index[o·inner + k], k] += src (outer, 1, inner)[o, 0, k]
void scatter_add(const Tensor& src, Axis out_axis, const std::vector<int64_t>& index, Tensor& out);

}  // namespace descent::kernels
