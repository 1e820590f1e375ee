// MultiheadAttention: num_heads attention heads over projections of query, key and value, as
// torch.nn.MultiheadAttention (in_proj_weight (3E, E) stacking W_q, W_k, W_v; out_proj a Linear;
// keys in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias). With kdim or vdim other than
// embed_dim, separate q_proj_weight (E, E), k_proj_weight (E, kdim), v_proj_weight (E, vdim)
// replace in_proj_weight, as PyTorch's.
#pragma once

#include <cstdint>
#include <memory>
#include <tuple>

#include "descent/nn/linear.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

// The options, torch::nn::MultiheadAttentionOptions' names (plus batch_first); kdim and vdim 0 =
// embed_dim.
struct MultiheadAttentionOptions {
    MultiheadAttentionOptions(int64_t embed_dim, int64_t num_heads)
        : embed_dim_(embed_dim), num_heads_(num_heads) {}
#define DESCENT_MHA_OPTION(type, name)            \
    MultiheadAttentionOptions& name(type value) { \
        name##_ = value;                          \
        return *this;                             \
    }                                             \
    type name() const { return name##_; }
    DESCENT_MHA_OPTION(int64_t, embed_dim)
    DESCENT_MHA_OPTION(int64_t, num_heads)
    DESCENT_MHA_OPTION(double, dropout)
    DESCENT_MHA_OPTION(bool, bias)
    DESCENT_MHA_OPTION(int64_t, kdim)
    DESCENT_MHA_OPTION(int64_t, vdim)
    DESCENT_MHA_OPTION(bool, batch_first)
#undef DESCENT_MHA_OPTION
private:
    int64_t embed_dim_, num_heads_;
    double dropout_ = 0.0;
    bool bias_ = true;
    int64_t kdim_ = 0, vdim_ = 0;
    bool batch_first_ = false;
};

class MultiheadAttention : public Module {
public:
    // ValueError unless embed_dim > 0, num_heads > 0 divides it and 0 <= dropout < 1.
    // in_proj_weight: xavier_uniform_, the biases zero, out_proj.weight Linear's init (PyTorch's).
    MultiheadAttention(int64_t embed_dim, int64_t num_heads, double dropout = 0.0, bool bias = true,
                       bool batch_first = false);
    // ValueError as above, and for kdim or vdim < 0. q/k/v_proj_weight: xavier_uniform_ each.
    explicit MultiheadAttention(const MultiheadAttentionOptions& options);
    // query (L, N, E), key (S, N, kdim) and value (S, N, vdim) ((N, L, E) with batch_first; or
    // unbatched (L, E)).
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

    int64_t embed_dim, kdim, vdim, num_heads, head_dim;
    double dropout;
    bool batch_first;
    bool _qkv_same_embed_dim;  // kdim == vdim == embed_dim: in_proj_weight, else q/k/v_proj_weight
    Tensor in_proj_weight;     // (3·embed_dim, embed_dim): W_q, W_k, W_v stacked
    Tensor q_proj_weight, k_proj_weight, v_proj_weight;  // (E, E), (E, kdim), (E, vdim)
    Tensor in_proj_bias;                                 // (3·embed_dim), undefined without bias
    std::shared_ptr<Linear> out_proj;
};

}  // namespace descent::nn
