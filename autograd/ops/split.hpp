// Cutting a tensor into pieces along a dim: chunk, split (by a size or a list of sizes) and
// unbind. Each piece is a narrow / select view of the input; one backward node joins the pieces'
// gradients (cat, or stack for unbind) into the input's.
#pragma once

#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// `chunks` pieces of ceil(n / chunks) elements along dim (the last may be smaller, and there are
// fewer pieces when n is small), as torch.chunk.
std::vector<Tensor> chunk(const Tensor& a, int64_t chunks, int64_t dim = 0, CallSite = {});
// Pieces of split_size elements along dim (the last may be smaller), as torch.split.
std::vector<Tensor> split(const Tensor& a, int64_t split_size, int64_t dim = 0, CallSite = {});
// Pieces of the given sizes, which must add up to the dim's size (torch.split with a list).
// split(x, {2}) is the int form; write split_with_sizes(x, {2}) for a list of one size.
std::vector<Tensor> split(const Tensor& a, const std::vector<int64_t>& split_sizes, int64_t dim = 0,
                          CallSite = {});
std::vector<Tensor> split_with_sizes(const Tensor& a, const std::vector<int64_t>& split_sizes,
                                     int64_t dim = 0, CallSite = {});
// Every slice along dim, with that dim removed.
std::vector<Tensor> unbind(const Tensor& a, int64_t dim = 0, CallSite = {});

}  // namespace descent
