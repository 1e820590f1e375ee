// Advanced indexing, as libtorch's: tensor entries in x.index({...}) and index_put_({...}). An
// int64 tensor picks entries of a dim; a bool tensor of k dims is a mask over k dims (its nonzero
// positions). Several tensor indices broadcast together; their result dims go where the tensor
// indices stood when those are adjacent, else first (PyTorch's rule). Internal to index.cpp and
// the index_put_ methods.
#pragma once

#include <vector>

#include "descent/core/indexing.hpp"
#include "descent/core/tensor.hpp"

namespace descent::ops_detail {

using IndexList = std::vector<indexing::TensorIndex>;

// Basic indexing only (integers, Slice, None, Ellipsis): a view (autograd/ops/index.cpp).
Tensor basic_index(const Tensor& a, const IndexList& indices);
bool has_tensor_index(const IndexList& indices);
// a.index(indices) with at least one tensor index: a copy, differentiable in a.
Tensor advanced_index(const Tensor& a, const IndexList& indices);
// The shape a.index(indices) would have (checks the indices; copies nothing of a).
Shape advanced_index_shape(const Tensor& a, const IndexList& indices);
// Writes `value` (broadcast to the indexed shape) into a's elements that a.index(indices) reads,
// in place; not recorded. With a repeated index, the last write wins.
void advanced_index_put_(const Tensor& a, const IndexList& indices, const Tensor& value);

}  // namespace descent::ops_detail
