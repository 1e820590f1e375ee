// scaled_dot_product_attention: softmax(q·kᵀ·scale + mask)·v, with PyTorch 2's arguments and
// semantics (torch.nn.functional.scaled_dot_product_attention, its math path).
#pragma once

#include <optional>

#include "descent/core/random.hpp"
#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// query (*, L, E), key (*, S, E), value (*, S, Ev) -> (*, L, Ev), the batch dims * broadcast.
// attn_mask, broadcastable to (*, L, S): bool (true = may attend, false = masked out) or floating
// (added to the scores). is_causal masks position j > i (and refuses an attn_mask, as PyTorch);
// scale defaults to 1/√E; dropout_p drops attention weights (whenever > 0, as PyTorch). A row
// with every position masked gives NaN, as PyTorch's math path. Composed of matmul, masked_fill,
// softmax and dropout, so twice differentiable. ShapeError / TypeError / ValueError name the call.
Tensor scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                    const Tensor& attn_mask = Tensor(), double dropout_p = 0.0,
                                    bool is_causal = false,
                                    std::optional<double> scale = std::nullopt, CallSite = {});

}  // namespace descent::nn::functional
