// MultiheadAttention: project, split into heads (N, h, L, d), attend with the masks folded into
// one additive (or -inf) mask, merge the heads, project out. Composed of descent's ops.
#include "descent/nn/multihead_attention.hpp"

#include <cmath>
#include <limits>
#include <ostream>

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/mask.hpp"
#include "descent/autograd/ops/matmul.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/dropout.hpp"
#include "descent/nn/functional/linear.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

namespace {
int64_t checked_heads(int64_t E, int64_t h, double p) {
    DESCENT_CHECK(E > 0 && h > 0, ValueError,
                  "MultiheadAttention(): embed_dim and num_heads must be > 0, got ", E, " and ", h);
    DESCENT_CHECK(E % h == 0, ValueError, "MultiheadAttention(): embed_dim ", E,
                  " is not divisible by num_heads ", h);
    DESCENT_CHECK(p >= 0 && p < 1, ValueError,
                  "MultiheadAttention(): dropout must be in [0, 1), got ", p);
    return E / h;
}

int64_t checked_dim(int64_t d, const char* name) {
    DESCENT_CHECK(d >= 0, ValueError, "MultiheadAttention(): ", name,
                  " must be > 0 (or 0 = embed_dim), got ", d);
    return d;
}

// A mask as the additive float mask of the scores: bool true -> -inf, false -> 0.
Tensor additive(const Tensor& m, ScalarType dtype) {
    if (m.dtype() != kBool) return m;
    return masked_fill(zeros(m.shape(), dtype), m, -std::numeric_limits<double>::infinity());
}
}  // namespace

MultiheadAttention::MultiheadAttention(int64_t E, int64_t h, double p, bool bias, bool bf)
    : MultiheadAttention(MultiheadAttentionOptions(E, h).dropout(p).bias(bias).batch_first(bf)) {}

MultiheadAttention::MultiheadAttention(const MultiheadAttentionOptions& o)
    : Module("MultiheadAttention"),
      embed_dim(o.embed_dim()),
      kdim(checked_dim(o.kdim(), "kdim") == 0 ? o.embed_dim() : o.kdim()),
      vdim(checked_dim(o.vdim(), "vdim") == 0 ? o.embed_dim() : o.vdim()),
      num_heads(o.num_heads()),
      head_dim(checked_heads(o.embed_dim(), o.num_heads(), o.dropout())),
      dropout(o.dropout()),
      batch_first(o.batch_first()),
      _qkv_same_embed_dim(kdim == embed_dim && vdim == embed_dim) {
    const int64_t E = embed_dim;
    // PyTorch's registration order, so named_parameters() and the state dict list them alike
    if (_qkv_same_embed_dim) {
        in_proj_weight = register_parameter("in_proj_weight", empty({3 * E, E}));
    } else {
        q_proj_weight = register_parameter("q_proj_weight", empty({E, E}));
        k_proj_weight = register_parameter("k_proj_weight", empty({E, kdim}));
        v_proj_weight = register_parameter("v_proj_weight", empty({E, vdim}));
    }
    if (o.bias()) in_proj_bias = register_parameter("in_proj_bias", empty({3 * E}));
    out_proj = register_module("out_proj", std::make_shared<Linear>(E, E, o.bias()));
    reset_parameters();
}

void MultiheadAttention::reset_parameters() {
    if (_qkv_same_embed_dim) {
        init::xavier_uniform_(in_proj_weight);
    } else {
        init::xavier_uniform_(q_proj_weight);
        init::xavier_uniform_(k_proj_weight);
        init::xavier_uniform_(v_proj_weight);
    }
    out_proj->reset_parameters();
    NoGradGuard no_grad;
    if (in_proj_bias.defined()) in_proj_bias.fill_(0.0);
    if (out_proj->bias.defined()) out_proj->bias.fill_(0.0);
}

std::tuple<Tensor, Tensor> MultiheadAttention::forward(const Tensor& query, const Tensor& key,
                                                       const Tensor& value,
                                                       const Tensor& key_padding_mask,
                                                       bool need_weights, const Tensor& attn_mask,
                                                       bool average_attn_weights) {
    const char* op = "MultiheadAttention";
    DESCENT_CHECK(query.defined() && key.defined() && value.defined(), ValueError, op,
                  ": query, key and value must be defined tensors");
    const int64_t E = embed_dim, h = num_heads;
    const bool batched = query.dim() == 3;
    DESCENT_CHECK(
        (query.dim() == 2 || batched) && key.dim() == query.dim() && value.dim() == query.dim(),
        ShapeError, op, ": expected query, key, value ", batch_first ? "(N, L, E)" : "(L, N, E)",
        " or unbatched (L, E), got ", query.shape(), ", ", key.shape(), ", ", value.shape());
    // (T, N, E) layout from here on
    auto layout = [&](const Tensor& t) {
        return !batched ? unsqueeze(t, 1) : batch_first ? transpose(t, 0, 1) : t;
    };
    const Tensor q_in = layout(query), k_in = layout(key), v_in = layout(value);
    const int64_t L = q_in.shape()[0], N = q_in.shape()[1], S = k_in.shape()[0];
    DESCENT_CHECK(q_in.shape()[2] == E && k_in.shape() == (Shape{S, N, kdim}) &&
                      v_in.shape() == (Shape{S, N, vdim}),
                  ShapeError, op, ": query ", query.shape(), ", key ", key.shape(), ", value ",
                  value.shape(), ": expected embed_dim ", E, ", kdim ", kdim, ", vdim ", vdim,
                  ", one batch size, and key and value of one length");
    const Tensor& weight0 = _qkv_same_embed_dim ? in_proj_weight : q_proj_weight;
    DESCENT_CHECK(query.dtype() == weight0.dtype(), TypeError, op, ": input is ", query.dtype(),
                  " but the weights are ", weight0.dtype());
    for (const Tensor* m : {&key_padding_mask, &attn_mask})
        DESCENT_CHECK(!m->defined() || m->dtype() == kBool || m->dtype() == query.dtype(),
                      TypeError, op, ": masks must be bool or ", query.dtype(), ", got ",
                      m->dtype());
    const Shape kpm_shape = batched ? Shape{N, S} : Shape{S};
    DESCENT_CHECK(!key_padding_mask.defined() || key_padding_mask.shape() == kpm_shape, ShapeError,
                  op, ": key_padding_mask must be ", kpm_shape, ", got ",
                  key_padding_mask.defined() ? key_padding_mask.shape() : Shape{});
    DESCENT_CHECK(!attn_mask.defined() || attn_mask.shape() == (Shape{L, S}) ||
                      attn_mask.shape() == (Shape{N * h, L, S}),
                  ShapeError, op, ": attn_mask must be ", Shape{L, S}, " or ", Shape{N * h, L, S},
                  ", got ", attn_mask.defined() ? attn_mask.shape() : Shape{});

    // q: (L, N, E) -> (N, h, L, d); k, v: (S, N, E) -> (N, h, S, d)
    const Tensor b = in_proj_bias;
    auto project = [&](const Tensor& x, int64_t i, int64_t T) {
        const Tensor w = _qkv_same_embed_dim ? narrow(in_proj_weight, 0, i * E, E)
                         : i == 0            ? q_proj_weight
                         : i == 1            ? k_proj_weight
                                             : v_proj_weight;
        const Tensor y = functional::linear(x, w, b.defined() ? narrow(b, 0, i * E, E) : Tensor());
        return permute(reshape(y, {T, N, h, head_dim}), {1, 2, 0, 3});
    };
    const Tensor q = project(q_in, 0, L), k = project(k_in, 1, S), v = project(v_in, 2, S);
    // scores: (N, h, L, S); PyTorch scales q before the product
    Tensor scores =
        matmul(q * (1.0 / std::sqrt(static_cast<double>(head_dim))), transpose(k, -2, -1));
    if (attn_mask.defined())
        scores =
            scores + additive(attn_mask.dim() == 3 ? reshape(attn_mask, {N, h, L, S}) : attn_mask,
                              query.dtype());
    if (key_padding_mask.defined())
        scores = scores + additive(reshape(key_padding_mask, {N, 1, 1, S}), query.dtype());
    Tensor weights = softmax(scores, -1);
    weights = functional::dropout(weights, static_cast<float>(dropout), is_training());
    // out: (N, h, L, d) -> (L, N, E)
    const Tensor heads = reshape(permute(matmul(weights, v), {2, 0, 1, 3}), {L, N, E});
    Tensor out = (*out_proj)(heads);
    out = !batched ? reshape(out, {L, E}) : batch_first ? transpose(out, 0, 1) : out;
    Tensor w;
    if (need_weights) {
        w = average_attn_weights ? mean(weights, 1) : weights;  // (N, L, S) or (N, h, L, S)
        if (!batched) w = select(w, 0, 0);
    }
    return {out, w};
}

Tensor MultiheadAttention::forward(const Tensor& x) {
    return std::get<0>(forward(x, x, x, Tensor(), false));
}

void MultiheadAttention::pretty_print(std::ostream& os) const {
    os << "MultiheadAttention(embed_dim=" << embed_dim << ", num_heads=" << num_heads;
    if (dropout != 0) os << ", dropout=" << dropout;
    if (!_qkv_same_embed_dim) os << ", kdim=" << kdim << ", vdim=" << vdim;
    if (batch_first) os << ", batch_first=true";
    os << ")";
}

}  // namespace descent::nn
