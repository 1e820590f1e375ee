// Ops that move elements without changing them: flip and roll (along any dims) and tril / triu
// (a matrix's lower / upper triangle, the rest zeroed). Each is composed from index_select or
// where, so both gradients are those ops'.
#pragma once

#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// Reverses the order along each of `dims` (torch.flip(x, {0, 1})).
Tensor flip(const Tensor& a, const std::vector<int64_t>& dims, CallSite = {});
// Shifts elements along dims[i] by shifts[i], wrapping around (torch.roll). With no dims the
// tensor is rolled as if flattened, by the one shift given.
Tensor roll(const Tensor& a, const std::vector<int64_t>& shifts,
            const std::vector<int64_t>& dims = {}, CallSite = {});
// The lower (upper) triangle of the last two dims: entries with j - i <= diagonal (>= diagonal)
// are kept, the others set to 0; leading dims are a batch.
Tensor tril(const Tensor& a, int64_t diagonal = 0, CallSite = {});
Tensor triu(const Tensor& a, int64_t diagonal = 0, CallSite = {});

}  // namespace descent
