// TransformerEncoder: the stack of layers and the causal mask.
#include "descent/nn/transformer_encoder.hpp"

#include <limits>

#include "descent/autograd/ops/reorder.hpp"
#include "descent/core/factory.hpp"

namespace descent::nn {

TransformerEncoder::TransformerEncoder(const TransformerEncoderLayer& encoder_layer, int64_t n,
                                       std::shared_ptr<LayerNorm> final_norm)
    : Module("TransformerEncoder"), num_layers(n) {
    DESCENT_CHECK(n > 0, ValueError, "TransformerEncoder(): num_layers must be > 0, got ", n);
    layers = register_module("layers", std::make_shared<ModuleList>());
    for (int64_t i = 0; i < n; ++i) layers->push_back(encoder_layer.clone());
    if (final_norm) norm = register_module("norm", std::move(final_norm));
}

Tensor TransformerEncoder::forward(const Tensor& src, const Tensor& mask,
                                   const Tensor& src_key_padding_mask) {
    Tensor x = src;
    for (size_t i = 0; i < layers->size(); ++i)
        x = layers->at<TransformerEncoderLayer>(i)->forward(x, mask, src_key_padding_mask);
    return norm ? (*norm)(x) : x;
}

Tensor generate_square_subsequent_mask(int64_t sz, ScalarType dtype) {
    DESCENT_CHECK(sz > 0, ValueError, "generate_square_subsequent_mask(): sz must be > 0, got ",
                  sz);
    return triu(full({sz, sz}, -std::numeric_limits<double>::infinity(), dtype), 1);
}

}  // namespace descent::nn
