// Indexing: ranges of a dim (slice, narrow, select), and picking by integer indices (index_select,
// gather). Indices are std::vector<int64_t>, as class labels are throughout descent.
#pragma once

#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// Elements start..end-1 of `dim` (negative values count from the end; out-of-range values are
// clamped, as Python slicing). Along dim 0 the result is a view sharing storage: a batch.
Tensor slice(const Tensor& a, int64_t dim, int64_t start, int64_t end, CallSite = {});
// `length` elements of `dim` from `start`; the range must lie inside the dim.
Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length, CallSite = {});
// Element `index` of `dim`, with that dim removed.
Tensor select(const Tensor& a, int64_t dim, int64_t index, CallSite = {});

// The entries index[0], index[1], ... of `dim`, in that order (repeats allowed).
Tensor index_select(const Tensor& a, int64_t dim, const std::vector<int64_t>& index, CallSite = {});

// One element of `dim` per position of the other dims: out[..., 0, ...] = a[..., index[i], ...],
// with index in row-major order over a's shape without `dim`. The result has `dim` of size 1, as
// torch.gather with an index of that shape. gather(logits, 1, labels) picks each row's class score.
Tensor gather(const Tensor& a, int64_t dim, const std::vector<int64_t>& index, CallSite = {});

}  // namespace descent
