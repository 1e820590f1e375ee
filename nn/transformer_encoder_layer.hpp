// TransformerEncoderLayer: self-attention then a feed-forward block, each with a residual and a
// LayerNorm (after, or before with norm_first), as torch.nn.TransformerEncoderLayer: the same
// submodules (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1, dropout2), so the
// state-dict keys match PyTorch's and weights load both ways.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "descent/nn/dropout.hpp"
#include "descent/nn/layer_norm.hpp"
#include "descent/nn/linear.hpp"
#include "descent/nn/module.hpp"
#include "descent/nn/multihead_attention.hpp"

namespace descent::nn {

class TransformerEncoderLayer : public Module {
public:
    // ValueError unless d_model, nhead, dim_feedforward > 0, nhead divides d_model,
    // 0 <= dropout < 1, layer_norm_eps >= 0 and activation is "relu" or "gelu".
    TransformerEncoderLayer(int64_t d_model, int64_t nhead, int64_t dim_feedforward = 2048,
                            double dropout = 0.1, std::string activation = "relu",
                            double layer_norm_eps = 1e-5, bool batch_first = false,
                            bool norm_first = false);
    // src (S, N, E) ((N, S, E) with batch_first; or unbatched (S, E)) -> the same shape.
    // src_mask (S, S) or (N·nhead, S, S): bool (true = may not attend) or floating (added);
    // src_key_padding_mask (N, S) ((S) unbatched): bool (true = padding) or floating.
    //   post-norm: x = norm1(x + sa(x)); x = norm2(x + ff(x))
    //   norm_first: x = x + sa(norm1(x)); x = x + ff(norm2(x))
    Tensor forward(const Tensor& src, const Tensor& src_mask,
                   const Tensor& src_key_padding_mask = Tensor());
    Tensor forward(const Tensor& src) override { return forward(src, Tensor(), Tensor()); }
    // A new layer of the same configuration holding copies of this one's parameters (what
    // PyTorch's TransformerEncoder does with copy.deepcopy).
    std::shared_ptr<TransformerEncoderLayer> clone() const;
    void pretty_print(std::ostream& os) const override;

    int64_t d_model, nhead, dim_feedforward;
    double dropout_p, layer_norm_eps;
    std::string activation;
    bool batch_first, norm_first;

    std::shared_ptr<MultiheadAttention> self_attn;
    std::shared_ptr<Linear> linear1;
    std::shared_ptr<Dropout> dropout;
    std::shared_ptr<Linear> linear2;
    std::shared_ptr<LayerNorm> norm1, norm2;
    std::shared_ptr<Dropout> dropout1, dropout2;

private:
    Tensor self_attention_block(const Tensor& x, const Tensor& mask, const Tensor& padding);
    Tensor feed_forward_block(const Tensor& x);
};

}  // namespace descent::nn
