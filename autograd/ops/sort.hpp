// Ops that produce int64 indices by ordering: sort, argsort, topk, and nonzero. The values are
// gathered at the indices (gather.hpp), so their gradient is scattered back through the indices
// and is twice differentiable. NaN orders as the largest value, as in PyTorch.
#pragma once

#include <tuple>

#include "descent/core/tensor.hpp"

namespace descent {

// (values, indices) of a along `dim` in ascending (descending) order; stable: equal values keep
// their order.
std::tuple<Tensor, Tensor> sort(const Tensor& a, int64_t dim = -1, bool descending = false,
                                CallSite = {});
// The indices of sort(a, dim, descending).
Tensor argsort(const Tensor& a, int64_t dim = -1, bool descending = false, CallSite = {});
// The k largest (smallest) entries along `dim` and their indices, largest first (smallest first)
// when sorted (always sorted here); ties keep the earlier index first.
std::tuple<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim = -1, bool largest = true,
                                bool sorted = true, CallSite = {});
// The positions of a's nonzero (true) elements, row-major, as an int64 tensor (n, a.dim()).
Tensor nonzero(const Tensor& a, CallSite = {});

}  // namespace descent
