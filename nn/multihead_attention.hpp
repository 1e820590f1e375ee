// MultiheadAttention: num_heads attention heads over projections of query, key and value, as
// torch.nn.MultiheadAttention (in_proj_weight (3E, E) stacking W_q, W_k, W_v; out_proj a Linear;
// keys in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias).
#pragma once

#include <cstdint>
#include <memory>
#include <tuple>

#include "descent/nn/linear.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

class MultiheadAttention : public Module {
public:
    // ValueError unless embed_dim > 0, num_heads > 0 divides it and 0 <= dropout < 1.
    // in_proj_weight: xavier_uniform_, the biases zero, out_proj.weight Linear's init (PyTorch's).
    MultiheadAttention(int64_t embed_dim, int64_t num_heads, double dropout = 0.0, bool bias = true,
                       bool batch_first = false);
    // query (L, N, E), key and value (S, N, E) ((N, L, E) with batch_first; or unbatched (L, E)).
    // key_padding_mask (N, S): bool (true = ignore that key) or floating (added); attn_mask (L, S)
    // or (N·num_heads, L, S): bool (true = not allowed) or floating (added), PyTorch's meanings.
    // Returns (attn_output (L, N, E), attn_weights): (N, L, S) averaged over heads, or
    // (N, num_heads, L, S) unless average_attn_weights; undefined unless need_weights.
    std::tuple<Tensor, Tensor> forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                       const Tensor& key_padding_mask = Tensor(),
                                       bool need_weights = true, const Tensor& attn_mask = Tensor(),
                                       bool average_attn_weights = true);
    // Self-attention: forward(x, x, x), the output only.
    Tensor forward(const Tensor& x) override;
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t embed_dim, num_heads, head_dim;
    double dropout;
    bool batch_first;
    Tensor in_proj_weight;  // (3·embed_dim, embed_dim): W_q, W_k, W_v stacked
    Tensor in_proj_bias;    // (3·embed_dim), undefined without bias
    std::shared_ptr<Linear> out_proj;
};

}  // namespace descent::nn
