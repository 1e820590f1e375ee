// einsum: Einstein summation over letters, as torch.einsum, composed from diagonal selection,
// sum, permute, reshape and bmm, so it is differentiable (twice) through those ops.
#pragma once

#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// "bij,bjk->bik", "bhqd,bhkd->bhqk", "bi,oij,bj->bo", "ij->ji", "ii->i", "ij->", or without "->"
// (the output is then the letters that appear once, in alphabetical order). Operands are
// contracted left to right, each pair as one batched matrix product. Each label's size must
// agree across operands (no broadcasting); ellipsis ("...") is not supported: ValueError.
Tensor einsum(const std::string& equation, const std::vector<Tensor>& operands, CallSite = {});

}  // namespace descent
