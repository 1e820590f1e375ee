// Indexing: views of ranges and elements of dims (slice, narrow, select, diagonal, unfold, and
// libtorch's basic indexing), advanced indexing with tensor indices (a copy), and the
// std::vector<int64_t> forms of index_select and gather (the int64-tensor forms: gather.hpp).
#pragma once

#include <initializer_list>
#include <vector>

#include "descent/autograd/ops/gather.hpp"
#include "descent/core/indexing.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

// Elements start, start+step, ... before end of `dim` (negative values count from the end;
// out-of-range values are clamped, as Python slicing; step > 0). A view sharing storage.
Tensor slice(const Tensor& a, int64_t dim, int64_t start, int64_t end, int64_t step = 1,
             CallSite = {});
// `length` elements of `dim` from `start`; the range must lie inside the dim. A view.
Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length, CallSite = {});
// Element `index` of `dim` (negative counts from the end), with that dim removed. A view.
Tensor select(const Tensor& a, int64_t dim, int64_t index, CallSite = {});
// The diagonal a[..., i, ..., i + offset, ...] of dims dim1 and dim2, as a new last dim. A view.
Tensor diagonal(const Tensor& a, int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1,
                CallSite = {});
// Every window of `size` elements of `dim`, `step` apart, as a new last dim. A view (windows may
// overlap: such a view is read-only).
Tensor unfold(const Tensor& a, int64_t dim, int64_t size, int64_t step, CallSite = {});

// libtorch's indexing: x.index({Slice(1, None, 2), 0, None, Ellipsis}). Integers select,
// Slices slice, None inserts a dim of size 1, Ellipsis stands for the dims not named: a view of a,
// composed of the ops above; IndexError naming the dim, the index and the size when out of range.
// A tensor entry is advanced indexing (a copy, differentiable): an int64 tensor picks entries of
// its dim (negatives count from the end), a bool tensor is a mask over as many dims as it has;
// several tensor indices broadcast together, their dims placed where they stand when adjacent,
// else first, as PyTorch (autograd/ops/advanced_index.hpp).
Tensor index(const Tensor& a, std::initializer_list<indexing::TensorIndex> indices, CallSite = {});
// A copy of `a` with a.index(indices) replaced by `value` (broadcast to it): PyTorch's
// out-of-place index_put, differentiable in `a` and `value` (Tensor::index_put_ writes in place and
// is not recorded). ShapeError when value does not broadcast to the indexed shape.
Tensor index_put(const Tensor& a, std::initializer_list<indexing::TensorIndex> indices,
                 const Tensor& value, CallSite = {});
Tensor index_put(const Tensor& a, std::initializer_list<indexing::TensorIndex> indices, float value,
                 CallSite = {});

// The entries index[0], index[1], ... of `dim`, in that order (repeats allowed).
Tensor index_select(const Tensor& a, int64_t dim, const std::vector<int64_t>& index, CallSite = {});
// (So that a braced list, `index_select(a, 0, {2})` or `{}`, means these vector forms.)
inline Tensor index_select(const Tensor& a, int64_t dim, std::initializer_list<int64_t> index) {
    return index_select(a, dim, std::vector<int64_t>(index));
}

// One element of `dim` per position of the other dims: out[..., 0, ...] = a[..., index[i], ...],
// with index in row-major order over a's shape without `dim`. The result has `dim` of size 1, as
// torch.gather with an index of that shape. gather(logits, 1, labels) picks each row's class score.
Tensor gather(const Tensor& a, int64_t dim, const std::vector<int64_t>& index, CallSite = {});
inline Tensor gather(const Tensor& a, int64_t dim, std::initializer_list<int64_t> index) {
    return gather(a, dim, std::vector<int64_t>(index));
}

}  // namespace descent
