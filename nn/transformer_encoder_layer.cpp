// TransformerEncoderLayer: the residual self-attention and feed-forward blocks, composed of
// descent's modules (so create_graph and second derivatives work through it).
#include "descent/nn/transformer_encoder_layer.hpp"

#include <ostream>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/nn/functional/activation.hpp"

namespace descent::nn {

namespace {
int64_t checked_d_model(int64_t E, int64_t h, int64_t ff, double p, const std::string& act,
                        double eps) {
    const char* op = "TransformerEncoderLayer()";
    DESCENT_CHECK(E > 0 && h > 0 && ff > 0, ValueError, op,
                  ": d_model, nhead and dim_feedforward must be > 0, got ", E, ", ", h, " and ",
                  ff);
    DESCENT_CHECK(E % h == 0, ValueError, op, ": d_model ", E, " is not divisible by nhead ", h);
    DESCENT_CHECK(p >= 0 && p < 1, ValueError, op, ": dropout must be in [0, 1), got ", p);
    DESCENT_CHECK(eps >= 0, ValueError, op, ": layer_norm_eps must be >= 0, got ", eps);
    DESCENT_CHECK(act == "relu" || act == "gelu", ValueError, op,
                  ": activation must be \"relu\" or \"gelu\", got \"", act, "\"");
    return E;
}
}  // namespace

TransformerEncoderLayer::TransformerEncoderLayer(int64_t E, int64_t h, int64_t ff, double p,
                                                 std::string act, double eps, bool bf, bool nf)
    : Module("TransformerEncoderLayer"),
      d_model(checked_d_model(E, h, ff, p, act, eps)),
      nhead(h),
      dim_feedforward(ff),
      dropout_p(p),
      layer_norm_eps(eps),
      activation(std::move(act)),
      batch_first(bf),
      norm_first(nf) {
    // registration order = PyTorch's attribute order = its state-dict order
    self_attn =
        register_module("self_attn", std::make_shared<MultiheadAttention>(E, h, p, true, bf));
    linear1 = register_module("linear1", std::make_shared<Linear>(E, ff));
    dropout = register_module("dropout", std::make_shared<Dropout>(float(p)));
    linear2 = register_module("linear2", std::make_shared<Linear>(ff, E));
    norm1 = register_module("norm1", std::make_shared<LayerNorm>(std::vector<int64_t>{E}, eps));
    norm2 = register_module("norm2", std::make_shared<LayerNorm>(std::vector<int64_t>{E}, eps));
    dropout1 = register_module("dropout1", std::make_shared<Dropout>(float(p)));
    dropout2 = register_module("dropout2", std::make_shared<Dropout>(float(p)));
}

// (S, N, E) -> (S, N, E): attention of x over itself, then dropout1
Tensor TransformerEncoderLayer::self_attention_block(const Tensor& x, const Tensor& mask,
                                                     const Tensor& padding) {
    auto [out, none] = self_attn->forward(x, x, x, padding, /*need_weights=*/false, mask);
    return (*dropout1)(out);
}

// (*, E) -> (*, E): linear2(dropout(act(linear1(x)))), then dropout2
Tensor TransformerEncoderLayer::feed_forward_block(const Tensor& x) {
    Tensor hidden = (*linear1)(x);
    hidden = activation == "gelu" ? functional::gelu(hidden) : functional::relu(hidden);
    return (*dropout2)((*linear2)((*dropout)(hidden)));
}

Tensor TransformerEncoderLayer::forward(const Tensor& src, const Tensor& src_mask,
                                        const Tensor& src_key_padding_mask) {
    DESCENT_CHECK(src.defined(), ValueError, "TransformerEncoderLayer: src is an undefined tensor");
    DESCENT_CHECK((src.dim() == 2 || src.dim() == 3) && src.shape().back() == d_model, ShapeError,
                  "TransformerEncoderLayer: expected src ", batch_first ? "(N, S, " : "(S, N, ",
                  d_model, ") or unbatched (S, ", d_model, "), got ", src.shape());
    const int64_t S = src.dim() == 3 && batch_first ? src.shape()[1] : src.shape()[0];
    const int64_t N = src.dim() == 3 ? src.shape()[batch_first ? 0 : 1] : 1;
    DESCENT_CHECK(!src_mask.defined() || src_mask.shape() == (Shape{S, S}) ||
                      src_mask.shape() == (Shape{N * nhead, S, S}),
                  ShapeError, "TransformerEncoderLayer: src_mask must be ", Shape{S, S}, " or ",
                  Shape{N * nhead, S, S}, " for src ", src.shape(), ", got ",
                  src_mask.defined() ? src_mask.shape() : Shape{});
    const Shape kpm = src.dim() == 3 ? Shape{N, S} : Shape{S};
    DESCENT_CHECK(!src_key_padding_mask.defined() || src_key_padding_mask.shape() == kpm,
                  ShapeError, "TransformerEncoderLayer: src_key_padding_mask must be ", kpm,
                  " for src ", src.shape(), ", got ",
                  src_key_padding_mask.defined() ? src_key_padding_mask.shape() : Shape{});
    Tensor x = src;
    if (norm_first) {
        x = x + self_attention_block((*norm1)(x), src_mask, src_key_padding_mask);
        return x + feed_forward_block((*norm2)(x));
    }
    x = (*norm1)(x + self_attention_block(x, src_mask, src_key_padding_mask));
    return (*norm2)(x + feed_forward_block(x));
}

std::shared_ptr<TransformerEncoderLayer> TransformerEncoderLayer::clone() const {
    auto copy = std::make_shared<TransformerEncoderLayer>(d_model, nhead, dim_feedforward,
                                                          dropout_p, activation, layer_norm_eps,
                                                          batch_first, norm_first);
    copy->to(self_attn->in_proj_weight.dtype());
    copy->load_state_dict(state_dict());
    copy->train(is_training());
    return copy;
}

void TransformerEncoderLayer::pretty_print(std::ostream& os) const {
    os << "TransformerEncoderLayer(d_model=" << d_model << ", nhead=" << nhead
       << ", dim_feedforward=" << dim_feedforward << ", dropout=" << dropout_p
       << ", activation=" << activation << (batch_first ? ", batch_first=true" : "")
       << (norm_first ? ", norm_first=true" : "") << ")";
}

}  // namespace descent::nn
