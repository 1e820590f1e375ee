// Ops that take indices as int64 tensors, as libtorch's: gather, scatter, scatter_add,
// index_select, index_add. Differentiable w.r.t. the floating inputs (not the index); any dtype
// moves. A non-int64 index is a TypeError naming the op and the dtype; an index out of range an
// IndexError naming the op, the dim, the index value and the size, both before any allocation.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent {

// out[i][j][k] = a[index[i][j][k]][j][k] (dim 0; likewise for the other dims): out has index's
// shape; index has a's number of dims and index.size(d) <= a.size(d) for d != dim.
Tensor gather(const Tensor& a, int64_t dim, const Tensor& index, CallSite = {});
// A copy of a with out[index[i][j][k]][j][k] = src[i][j][k] (dim 0). src has index's shape. With a
// repeated index, the last write wins.
Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src, CallSite = {});
Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, double value, CallSite = {});
// The same, adding: out[index[i][j][k]][j][k] += src[i][j][k].
Tensor scatter_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src,
                   CallSite = {});
// The entries index[0], index[1], ... of `dim` (index 1-D int64; repeats allowed).
Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index, CallSite = {});
// A copy of a with alpha * source's entry j of `dim` added to entry index[j]; source has a's shape
// but index.numel() entries along dim.
Tensor index_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& source,
                 double alpha = 1, CallSite = {});

namespace detail {
// TypeError unless `index` is an int64 tensor: "<op>(): expected an int64 index tensor, got
// float32".
void check_index_dtype(const Tensor& index, const char* op);
}  // namespace detail

}  // namespace descent
