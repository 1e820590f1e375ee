// TransformerEncoder: num_layers copies of a TransformerEncoderLayer applied in turn, then an
// optional final LayerNorm, as torch.nn.TransformerEncoder (keys "layers.0.self_attn...",
// "norm.weight"); and the causal mask PyTorch's generate_square_subsequent_mask makes.
#pragma once

#include <cstdint>
#include <memory>

#include "descent/nn/layer_norm.hpp"
#include "descent/nn/module.hpp"
#include "descent/nn/module_list.hpp"
#include "descent/nn/transformer_encoder_layer.hpp"

namespace descent::nn {

class TransformerEncoder : public Module {
public:
    // Each of the num_layers layers starts as a copy of encoder_layer's parameters (PyTorch's
    // deepcopy; the layer itself is not registered). ValueError unless num_layers > 0.
    TransformerEncoder(const TransformerEncoderLayer& encoder_layer, int64_t num_layers,
                       std::shared_ptr<LayerNorm> norm = nullptr);
    // src as TransformerEncoderLayer::forward; mask and src_key_padding_mask go to every layer.
    Tensor forward(const Tensor& src, const Tensor& mask,
                   const Tensor& src_key_padding_mask = Tensor());
    Tensor forward(const Tensor& src) override { return forward(src, Tensor(), Tensor()); }

    int64_t num_layers;
    std::shared_ptr<ModuleList> layers;  // of TransformerEncoderLayer
    std::shared_ptr<LayerNorm> norm;     // null without a final norm
};

// (sz, sz) float mask: 0 on and below the diagonal, -inf above (position i attends to j <= i).
// ValueError unless sz > 0.
Tensor generate_square_subsequent_mask(int64_t sz, ScalarType dtype = kFloat32);

}  // namespace descent::nn
