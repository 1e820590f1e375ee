// embedding: rows of a weight matrix picked by int64 indices, as torch.nn.functional.embedding.
#pragma once

#include <cstdint>
#include <optional>

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// indices: int64 of any shape (*), weight: (num_embeddings, D) -> (*, D), out[..., :] =
// weight[indices[...], :]. The row padding_idx (negative counts from the end) gets no gradient,
// as PyTorch's. Built on index_select, so twice differentiable. TypeError for non-int64 indices,
// IndexError naming the index and num_embeddings for one out of range, ValueError for a
// padding_idx out of range.
Tensor embedding(const Tensor& indices, const Tensor& weight,
                 std::optional<int64_t> padding_idx = std::nullopt, CallSite = {});

}  // namespace descent::nn::functional
