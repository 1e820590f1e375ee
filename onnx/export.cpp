// export_model: one forward traced layer by layer through forward hooks (export_chain: named layers
// applied in turn, for char_lm's LSTM / GRU / GPT), each layer written as
// ONNX nodes (Gemm, Conv, MaxPool, BatchNormalization...) whose weights are the layer's parameters
// under their dotted names; then ONNX's checker and shape inference, then an atomic write.
#include "descent/onnx/export.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/node.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/split.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/version.hpp"
#include "descent/nn/activation.hpp"
#include "descent/nn/batch_norm.hpp"
#include "descent/nn/conv.hpp"
#include "descent/nn/dropout.hpp"
#include "descent/nn/embedding.hpp"
#include "descent/nn/flatten.hpp"
#include "descent/nn/layer_norm.hpp"
#include "descent/nn/linear.hpp"
#include "descent/nn/multihead_attention.hpp"
#include "descent/nn/pool.hpp"
#include "descent/nn/rnn.hpp"
#include "descent/nn/transformer_encoder.hpp"
#include "descent/onnx/tensor_proto.hpp"

namespace descent::onnx {

namespace {

constexpr const char* kWho = "onnx::export_model()";

// One leaf module's call, as its forward hook saw it.
struct Call {
    std::string name;  // dotted, as named_modules: "3", "features.0"
    nn::Module* module;
    Tensor input, output;
    Tensor add, mask;  // export_chain's: a tensor added (no module), an encoder's mask
};

void collect_leaves(nn::Module& m, const std::string& prefix,
                    std::map<const nn::Module*, std::string>& names) {
    if (m.named_children().empty()) {
        names.emplace(&m, prefix);
        return;
    }
    for (const auto& [child_name, child] : m.named_children())
        collect_leaves(*child, prefix.empty() ? child_name : prefix + "." + child_name, names);
}

// Writes one traced call's nodes into the graph: the layer's ONNX form.
class GraphWriter {
public:
    GraphWriter(::onnx::GraphProto& g, int64_t opset) : g_(g), opset_(opset) {}

    // The value name of a traced tensor (by its impl), or "" if no layer or input made it.
    std::string value_of(const Tensor& t) const {
        auto it = values_.find(t.impl());
        return it == values_.end() ? "" : it->second;
    }
    void bind(const Tensor& t, const std::string& name) { values_[t.impl()] = name; }

    void write(const Call& c) {
        const std::string x = value_of(c.input);
        // A layer called twice (shared) gets a fresh output and node name per call: "3.out_1".
        const int64_t call = calls_[c.name]++;
        const std::string suffix = call == 0 ? "" : "_" + std::to_string(call);
        const std::string y = (c.name.empty() ? std::string("output") : c.name + ".out") + suffix;
        const std::string p = c.name.empty() ? "" : c.name + ".";
        nn::Module* m = c.module;
        if (dynamic_cast<nn::Identity*>(m) || dynamic_cast<nn::Dropout*>(m)) {
            bind(c.output, x);  // eval form: the input itself
            return;
        }
        const std::string node_name =
            (c.name.empty() ? (m ? m->type_name() : "add") : c.name) + suffix;
        if (!m) {  // export_chain's addition of a tensor (the GPT's positions)
            initializer(c.add, c.name);
            node("Add", node_name, {x, c.name}, y);
            bind(c.output, y);
            return;
        }
        if (auto* enc = dynamic_cast<nn::TransformerEncoder*>(m)) {
            encoder(*enc, c, x, y, p, node_name);
            bind(c.output, y);
            return;
        }
        if (auto* e = dynamic_cast<nn::Embedding*>(m)) {  // Gather(weight, indices)
            initializer(e->weight, p + "weight");
            ::onnx::NodeProto* n = g_.add_node();
            n->set_name(node_name);
            n->set_op_type("Gather");
            n->add_input(p + "weight");
            n->add_input(x);
            n->add_output(y);
            bind(c.output, y);
            return;
        }
        if (auto* ln = dynamic_cast<nn::LayerNorm*>(m)) {
            layer_norm(*ln, c, x, y, p, node_name);
            bind(c.output, y);
            return;
        }
        if (auto* ge = dynamic_cast<nn::GELU*>(m)) {
            gelu(*ge, c, x, y, node_name);
            bind(c.output, y);
            return;
        }
        if (auto* r = dynamic_cast<nn::RNNBase*>(m)) {
            recurrent(*r, c, x, y, p, node_name);
            bind(c.output, y);
            return;
        }
        ::onnx::NodeProto* n = g_.add_node();
        n->set_name(node_name);
        n->add_input(x);
        n->add_output(y);
        if (auto* l = dynamic_cast<nn::Linear*>(m)) {
            linear(*n, *l, p, c.input.dim());
        } else if (auto* cv = dynamic_cast<nn::Conv2d*>(m)) {
            conv(*n, *cv, p);
        } else if (auto* mp = dynamic_cast<nn::MaxPool2d*>(m)) {
            n->set_op_type("MaxPool");
            ints(*n, "kernel_shape", {mp->kernel_size.h, mp->kernel_size.w});
            ints(*n, "strides", {mp->stride.h, mp->stride.w});
            ints(*n, "pads", {mp->padding.h, mp->padding.w, mp->padding.h, mp->padding.w});
        } else if (auto* ap = dynamic_cast<nn::AvgPool2d*>(m)) {
            n->set_op_type("AveragePool");
            ints(*n, "kernel_shape", {ap->kernel_size.h, ap->kernel_size.w});
            ints(*n, "strides", {ap->stride.h, ap->stride.w});
            ints(*n, "pads", {ap->padding.h, ap->padding.w, ap->padding.h, ap->padding.w});
            integer(*n, "count_include_pad", ap->count_include_pad ? 1 : 0);
        } else if (auto* gp = dynamic_cast<nn::AdaptiveAvgPool2d*>(m)) {
            DESCENT_CHECK(gp->output_size.h == 1 && gp->output_size.w == 1, ValueError, kWho,
                          ": layer '", c.name, "' AdaptiveAvgPool2d with output size (",
                          gp->output_size.h, ", ", gp->output_size.w,
                          ") has no ONNX form; only (1, 1) (GlobalAveragePool)");
            n->set_op_type("GlobalAveragePool");
        } else if (auto* bn = dynamic_cast<nn::BatchNorm*>(m)) {
            batch_norm(*n, *bn, p, c.name);
        } else if (auto* f = dynamic_cast<nn::Flatten*>(m)) {
            flatten(*n, *f, c);
        } else if (dynamic_cast<nn::ReLU*>(m)) {
            n->set_op_type("Relu");
        } else if (auto* lr = dynamic_cast<nn::LeakyReLU*>(m)) {
            n->set_op_type("LeakyRelu");
            real(*n, "alpha", lr->negative_slope);
        } else if (dynamic_cast<nn::Sigmoid*>(m)) {
            n->set_op_type("Sigmoid");
        } else if (dynamic_cast<nn::Tanh*>(m)) {
            n->set_op_type("Tanh");
        } else if (auto* sm = dynamic_cast<nn::Softmax*>(m)) {
            n->set_op_type("Softmax");
            integer(*n, "axis", sm->dim);
        } else if (auto* lsm = dynamic_cast<nn::LogSoftmax*>(m)) {
            n->set_op_type("LogSoftmax");
            integer(*n, "axis", lsm->dim);
        } else {
            throw ValueError(descent::detail::cat(
                kWho, ": layer '", c.name, "' of type ", m->type_name(),
                " has no ONNX mapping (descent exports Linear, Conv2d, MaxPool2d, AvgPool2d, "
                "AdaptiveAvgPool2d, BatchNorm1d/2d, Flatten, ReLU, LeakyReLU, Sigmoid, Tanh, "
                "Softmax, LogSoftmax, GELU, LayerNorm, Embedding, Dropout, Identity; "
                "export_chain also RNN, LSTM, GRU)"));
        }
        bind(c.output, y);
    }

    void initializer(const Tensor& t, const std::string& name) {
        if (!initialized_.insert(name).second) return;  // a weight shared by two calls
        *g_.add_initializer() = detail::to_proto(t, name);
    }

private:
    ::onnx::NodeProto* node(const std::string& op, const std::string& name,
                            std::vector<std::string> in, const std::string& out) {
        ::onnx::NodeProto* n = g_.add_node();
        n->set_op_type(op);
        n->set_name(name);
        for (const auto& i : in) n->add_input(i);
        n->add_output(out);
        return n;
    }
    std::string int_constant(const std::string& name, std::vector<int64_t> v) {
        initializer(descent::tensor(v, Shape{static_cast<int64_t>(v.size())}, kInt64), name);
        return name;
    }

    // LayerNormalization (opset 17) over the last normalized_shape.size() dims; without affine
    // parameters a scale of ones and a shift of zeros, as constants of their own.
    void layer_norm(nn::LayerNorm& ln, const Call& c, const std::string& x, const std::string& y,
                    const std::string& p, const std::string& name) {
        DESCENT_CHECK(opset_ >= 17, ValueError, kWho, ": layer '", c.name,
                      "' LayerNorm is ONNX's LayerNormalization, which needs opset 17, not ",
                      opset_);
        const Shape s(ln.normalized_shape.begin(), ln.normalized_shape.end());
        const ScalarType dt = c.input.dtype();
        const std::string scale = p + (ln.elementwise_affine ? "weight" : "onnx_scale");
        const std::string shift = p + (ln.elementwise_affine ? "bias" : "onnx_shift");
        initializer(ln.elementwise_affine ? ln.weight : descent::ones(s, dt), scale);
        initializer(ln.elementwise_affine ? ln.bias : descent::zeros(s, dt), shift);
        ::onnx::NodeProto* n = node("LayerNormalization", name, {x, scale, shift}, y);
        integer(*n, "axis", -static_cast<int64_t>(s.size()));
        real(*n, "epsilon", static_cast<float>(ln.eps));
    }

    // GELU, the exact (erf) form: y = x · 0.5 · (1 + erf(x / √2)).
    void gelu(nn::GELU& ge, const Call& c, const std::string& x, const std::string& y,
              const std::string& name) {
        DESCENT_CHECK(ge.approximate == "none", ValueError, kWho, ": layer '", c.name,
                      "' GELU with approximate \"", ge.approximate,
                      "\" is not written (the exact, erf form is)");
        const ScalarType dt = c.input.dtype();
        auto scalar = [&](const std::string& n, double v) {
            initializer(descent::full({}, v, TensorOptions().dtype(dt)), n);
            return n;
        };
        const std::string q = name + ".";  // per call: a layer called twice writes twice
        node("Mul", name + ".scale", {x, scalar(q + "onnx_inv_sqrt2", 0.7071067811865476)},
             q + "onnx_gelu_a");
        node("Erf", name + ".erf", {q + "onnx_gelu_a"}, q + "onnx_gelu_b");
        node("Add", name + ".one", {q + "onnx_gelu_b", scalar(q + "onnx_one", 1.0)},
             q + "onnx_gelu_c");
        node("Mul", name + ".x", {x, q + "onnx_gelu_c"}, q + "onnx_gelu_d");
        node("Mul", name + ".half", {q + "onnx_gelu_d", scalar(q + "onnx_half", 0.5)}, y);
    }

    // x (N, S, in) @ weightᵀ + bias under `out`: the weight transposed by a node.
    void linear3d(const std::string& x, nn::Linear& l, const std::string& w, const std::string& out,
                  const std::string& name) {
        initializer(l.weight, w + "weight");
        ints(*node("Transpose", name + ".weight_t", {w + "weight"}, w + "weight_t"), "perm",
             {1, 0});
        if (!l.bias.defined()) {
            node("MatMul", name, {x, w + "weight_t"}, out);
            return;
        }
        initializer(l.bias, w + "bias");
        node("MatMul", name, {x, w + "weight_t"}, out + ".matmul");
        node("Add", name + ".bias", {out + ".matmul", w + "bias"}, out);
    }
    void layer_norm_named(nn::LayerNorm& ln, const Tensor& like, const std::string& x,
                          const std::string& out, const std::string& p) {
        Call c{p, &ln, like, like, {}, {}};
        layer_norm(ln, c, x, out, p + ".", p);
    }

    // A batch_first TransformerEncoder (N, S, E): per layer, self-attention (the in_proj weight's
    // three blocks as Q, K, V projections, heads by Reshape + Transpose, softmax(QKᵀ/√d + mask)·V,
    // out_proj) and the feed-forward block, each with its residual Add and LayerNormalization
    // (before it with norm_first, after it otherwise); then the final norm.
    void encoder(nn::TransformerEncoder& enc, const Call& c, const std::string& x,
                 const std::string& y, const std::string& p, const std::string& name) {
        const std::string& mask_name = p + "onnx_mask";
        DESCENT_CHECK(c.input.dim() == 3, ValueError, kWho, ": layer '", c.name,
                      "' TransformerEncoder is called on an unbatched input ", c.input.shape());
        if (c.mask.defined()) {
            Tensor mask = c.mask.detach();
            if (mask.dtype() == kBool)
                mask = where(mask, descent::full({}, -INFINITY), descent::zeros({}));
            DESCENT_CHECK(mask.dim() == 2, ValueError, kWho, ": layer '", c.name,
                          "' the mask must be (S, S), got ", mask.shape());
            initializer(mask.to(c.input.dtype()), mask_name);
        }
        std::string cur = x;
        const int64_t L = enc.num_layers;
        for (int64_t i = 0; i < L; ++i) {
            auto* layer = dynamic_cast<nn::TransformerEncoderLayer*>(
                enc.layers->named_children()[static_cast<size_t>(i)].second.get());
            DESCENT_ASSERT(layer);
            DESCENT_CHECK(layer->batch_first, ValueError, kWho, ": layer '", c.name,
                          "' is not batch_first; export_chain writes (N, S, E) encoders");
            const std::string lp = p + "layers." + std::to_string(i) + ".";
            const std::string ln = name + ".layers." + std::to_string(i);
            auto attention = [&](const std::string& in, const std::string& out) {
                nn::MultiheadAttention& a = *layer->self_attn;
                const int64_t E = a.embed_dim, h = a.num_heads, d = a.head_dim;
                const std::string ap = lp + "self_attn.";
                const char* qkv[] = {"q", "k", "v"};
                std::string proj[3];
                for (int k = 0; k < 3; ++k) {
                    const std::string wn = ap + "onnx_in_proj_" + qkv[k] + "_t";
                    initializer(t(narrow(a.in_proj_weight.detach(), 0, k * E, E)).contiguous(), wn);
                    proj[k] = ln + ".attn." + qkv[k];
                    const std::string mm = a.in_proj_bias.defined() ? proj[k] + ".mm" : proj[k];
                    node("MatMul", proj[k], {in, wn}, mm);
                    if (a.in_proj_bias.defined()) {
                        const std::string bn = ap + "onnx_in_proj_" + qkv[k] + "_bias";
                        initializer(narrow(a.in_proj_bias.detach(), 0, k * E, E).contiguous(), bn);
                        node("Add", proj[k] + ".bias", {mm, bn}, proj[k]);
                    }
                    // (N, S, E) -> (N, S, h, d) -> (N, h, S, d), K as (N, h, d, S)
                    node("Reshape", proj[k] + ".heads",
                         {proj[k], int_constant(ap + "onnx_heads_shape", {0, 0, h, d})},
                         proj[k] + ".h");
                    ints(*node("Transpose", proj[k] + ".perm", {proj[k] + ".h"}, proj[k] + ".t"),
                         "perm",
                         k == 1 ? std::vector<int64_t>{0, 2, 3, 1}
                                : std::vector<int64_t>{0, 2, 1, 3});
                }
                const std::string s = ln + ".attn.scores";
                node("MatMul", s, {proj[0] + ".t", proj[1] + ".t"}, s + ".qk");
                initializer(descent::full({}, 1.0 / std::sqrt(double(d)),
                                          TensorOptions().dtype(c.input.dtype())),
                            ap + "onnx_scale");
                node("Mul", s + ".scale", {s + ".qk", ap + "onnx_scale"}, s + ".scaled");
                std::string logits = s + ".scaled";
                if (c.mask.defined()) {
                    node("Add", s + ".mask", {logits, mask_name}, s + ".masked");
                    logits = s + ".masked";
                }
                integer(*node("Softmax", s + ".softmax", {logits}, s + ".p"), "axis", -1);
                node("MatMul", s + ".v", {s + ".p", proj[2] + ".t"}, s + ".pv");
                ints(*node("Transpose", s + ".merge_perm", {s + ".pv"}, s + ".pvt"), "perm",
                     {0, 2, 1, 3});
                node("Reshape", s + ".merge",
                     {s + ".pvt", int_constant(ap + "onnx_merge_shape", {0, 0, E})}, s + ".heads");
                linear3d(s + ".heads", *a.out_proj, ap + "out_proj.", out, ln + ".attn.out_proj");
            };
            auto feed_forward = [&](const std::string& in, const std::string& out) {
                const std::string f = ln + ".ff";
                linear3d(in, *layer->linear1, lp + "linear1.", f + ".h", f + ".linear1");
                if (layer->activation == "gelu") {
                    nn::GELU g;
                    gelu(g, c, f + ".h", f + ".a", f + ".gelu");
                } else {
                    node("Relu", f + ".relu", {f + ".h"}, f + ".a");
                }
                linear3d(f + ".a", *layer->linear2, lp + "linear2.", out, f + ".linear2");
            };
            const std::string r = ln + ".";
            if (layer->norm_first) {  // x = x + sa(norm1(x)); x = x + ff(norm2(x))
                layer_norm_named(*layer->norm1, c.input, cur, r + "n1", lp + "norm1");
                attention(r + "n1", r + "sa");
                node("Add", r + "res1", {cur, r + "sa"}, r + "x1");
                layer_norm_named(*layer->norm2, c.input, r + "x1", r + "n2", lp + "norm2");
                feed_forward(r + "n2", r + "ff");
                node("Add", r + "res2", {r + "x1", r + "ff"}, r + "x2");
            } else {  // x = norm1(x + sa(x)); x = norm2(x + ff(x))
                attention(cur, r + "sa");
                node("Add", r + "res1", {cur, r + "sa"}, r + "s1");
                layer_norm_named(*layer->norm1, c.input, r + "s1", r + "x1", lp + "norm1");
                feed_forward(r + "x1", r + "ff");
                node("Add", r + "res2", {r + "x1", r + "ff"}, r + "s2");
                layer_norm_named(*layer->norm2, c.input, r + "s2", r + "x2", lp + "norm2");
            }
            cur = r + "x2";
        }
        if (enc.norm)
            layer_norm_named(*enc.norm, c.input, cur, y, p + "norm");
        else
            node("Identity", name + ".out", {cur}, y);
    }

    // PyTorch's gate blocks (dim 0) in ONNX's order: LSTM i,f,g,o -> i,o,f,c; GRU r,z,n -> z,r,h.
    static Tensor onnx_order(nn::functional::RnnMode mode, const Tensor& t) {
        using nn::functional::RnnMode;
        if (mode != RnnMode::LSTM && mode != RnnMode::GRU) return t;
        const std::vector<Tensor> g = chunk(t.detach(), mode == RnnMode::LSTM ? 4 : 3, 0);
        return mode == RnnMode::LSTM ? cat({g[0], g[3], g[1], g[2]}, 0)
                                     : cat({g[1], g[0], g[2]}, 0);
    }

    // RNN / LSTM / GRU (its output sequence): one ONNX RNN / LSTM / GRU node per layer, whose
    // weights are the layer's in ONNX's gate order, written as "<name>.W_l<k>", "R_l<k>", "B_l<k>"
    // (W, R (D, G·H, in), B (D, 2·G·H): both directions stacked). Y (T, D, N, H) -> Transpose and
    // Reshape -> (T, N, D·H), the next layer's input; batch_first transposes around it all.
    void recurrent(nn::RNNBase& r, const Call& c, const std::string& x, const std::string& y,
                   const std::string& p, const std::string& name) {
        using nn::functional::RnnMode;
        const nn::RNNOptions& o = r.options;
        DESCENT_CHECK(c.input.dim() == 3, ValueError, kWho, ": layer '", c.name, "' ",
                      r.type_name(), " is called on an unbatched input ", c.input.shape(),
                      "; export a batched one");
        auto* lstm = dynamic_cast<nn::LSTM*>(&r);
        auto* gru = dynamic_cast<nn::GRU*>(&r);
        const RnnMode mode = lstm  ? RnnMode::LSTM
                             : gru ? RnnMode::GRU
                                   : (o.nonlinearity() == "relu" ? RnnMode::Relu : RnnMode::Tanh);
        const char* op = lstm ? "LSTM" : gru ? "GRU" : "RNN";
        const int64_t D = o.bidirectional() ? 2 : 1, H = o.hidden_size();
        const std::vector<Tensor> w = r.flat_weights();
        const int64_t per = o.bias() ? 4 : 2;
        std::string cur = x;
        if (o.batch_first()) {
            ints(*node("Transpose", name + ".to_seq", {cur}, p + "onnx_seq_in"), "perm", {1, 0, 2});
            cur = p + "onnx_seq_in";
        }
        for (int64_t l = 0; l < o.num_layers(); ++l) {
            const std::string k = std::to_string(l);
            std::vector<Tensor> W, R, B;
            for (int64_t d = 0; d < D; ++d) {
                const Tensor* t = &w[static_cast<size_t>((l * D + d) * per)];
                W.push_back(onnx_order(mode, t[0]));
                R.push_back(onnx_order(mode, t[1]));
                if (o.bias()) B.push_back(cat({onnx_order(mode, t[2]), onnx_order(mode, t[3])}, 0));
            }
            initializer(stack(W, 0), p + "W_l" + k);
            initializer(stack(R, 0), p + "R_l" + k);
            std::vector<std::string> in = {cur, p + "W_l" + k, p + "R_l" + k};
            if (o.bias()) {
                initializer(stack(B, 0), p + "B_l" + k);
                in.push_back(p + "B_l" + k);
            }
            ::onnx::NodeProto* n = node(op, name + ".l" + k, in, p + "onnx_Y_l" + k);
            integer(*n, "hidden_size", H);
            if (D == 2) {
                auto* a = n->add_attribute();
                a->set_name("direction");
                a->set_type(::onnx::AttributeProto::STRING);
                a->set_s("bidirectional");
            }
            if (mode == RnnMode::Relu) {
                auto* a = n->add_attribute();
                a->set_name("activations");
                a->set_type(::onnx::AttributeProto::STRINGS);
                for (int64_t d = 0; d < D; ++d) a->add_strings("Relu");
            }
            if (gru) integer(*n, "linear_before_reset", 1);
            // (T, D, N, H) -> (T, N, D, H) -> (T, N, D·H)
            ints(*node("Transpose", name + ".l" + k + ".perm", {p + "onnx_Y_l" + k},
                       p + "onnx_Yt_l" + k),
                 "perm", {0, 2, 1, 3});
            const bool last = l + 1 == o.num_layers();
            cur = last && !o.batch_first() ? y : p + "onnx_out_l" + k;
            node("Reshape", name + ".l" + k + ".merge",
                 {p + "onnx_Yt_l" + k, int_constant(p + "onnx_merge_shape", {0, 0, -1})}, cur);
        }
        if (o.batch_first())
            ints(*node("Transpose", name + ".to_batch", {cur}, y), "perm", {1, 0, 2});
    }

    static void ints(::onnx::NodeProto& n, const char* name, std::vector<int64_t> v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(::onnx::AttributeProto::INTS);
        for (int64_t i : v) a->add_ints(i);
    }
    static void integer(::onnx::NodeProto& n, const char* name, int64_t v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(::onnx::AttributeProto::INT);
        a->set_i(v);
    }
    static void real(::onnx::NodeProto& n, const char* name, float v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(::onnx::AttributeProto::FLOAT);
        a->set_f(v);
    }

    // (N, in) -> Gemm(x, W, b, transB = 1); a higher rank: x @ Transpose(W) (+ b).
    void linear(::onnx::NodeProto& n, nn::Linear& l, const std::string& p, int64_t rank) {
        initializer(l.weight, p + "weight");
        if (l.bias.defined()) initializer(l.bias, p + "bias");
        if (rank == 2) {
            n.set_op_type("Gemm");
            n.add_input(p + "weight");
            if (l.bias.defined()) n.add_input(p + "bias");
            integer(n, "transB", 1);
            return;
        }
        ::onnx::NodeProto* t = g_.add_node();
        t->set_name(n.name() + ".weight_t");
        t->set_op_type("Transpose");
        t->add_input(p + "weight");
        t->add_output(p + "weight_t");
        // before the MatMul that reads it (ONNX's graphs are topologically sorted)
        g_.mutable_node()->SwapElements(g_.node_size() - 1, g_.node_size() - 2);
        n.set_op_type("MatMul");
        n.add_input(p + "weight_t");
        if (!l.bias.defined()) return;
        const std::string y = n.output(0);
        n.set_output(0, y + ".matmul");
        ::onnx::NodeProto* a = g_.add_node();
        a->set_name(n.name() + ".bias");
        a->set_op_type("Add");
        a->add_input(y + ".matmul");
        a->add_input(p + "bias");
        a->add_output(y);
    }

    void conv(::onnx::NodeProto& n, nn::Conv2d& c, const std::string& p) {
        n.set_op_type("Conv");
        initializer(c.weight, p + "weight");
        n.add_input(p + "weight");
        if (c.bias.defined()) {
            initializer(c.bias, p + "bias");
            n.add_input(p + "bias");
        }
        ints(n, "kernel_shape", {c.kernel_size.h, c.kernel_size.w});
        ints(n, "strides", {c.stride.h, c.stride.w});
        ints(n, "dilations", {c.dilation.h, c.dilation.w});
        integer(n, "group", c.groups);
        int64_t top = c.padding.size.h, left = c.padding.size.w;
        int64_t bottom = top, right = left;
        if (c.padding.same) {  // as PyTorch: the odd one of the total goes to the bottom / right
            const int64_t th = c.dilation.h * (c.kernel_size.h - 1);
            const int64_t tw = c.dilation.w * (c.kernel_size.w - 1);
            top = th / 2, bottom = th - top, left = tw / 2, right = tw - left;
        }
        ints(n, "pads", {top, left, bottom, right});
    }

    void batch_norm(::onnx::NodeProto& n, nn::BatchNorm& bn, const std::string& p,
                    const std::string& name) {
        DESCENT_CHECK(bn.track_running_stats, ValueError, kWho, ": layer '", name, "' ",
                      bn.type_name(),
                      " keeps no running statistics, so its eval form normalises by each batch's "
                      "own; ONNX's BatchNormalization needs the running ones");
        n.set_op_type("BatchNormalization");
        real(n, "epsilon", bn.eps);
        const Tensor ones = descent::ones({bn.num_features}, bn.running_mean.dtype());
        const Tensor zeros = descent::zeros({bn.num_features}, bn.running_mean.dtype());
        // Without affine parameters the scale is 1 and the shift 0, as constants of their own.
        initializer(bn.affine ? bn.weight : ones, p + (bn.affine ? "weight" : "onnx_scale"));
        initializer(bn.affine ? bn.bias : zeros, p + (bn.affine ? "bias" : "onnx_shift"));
        initializer(bn.running_mean, p + "running_mean");
        initializer(bn.running_var, p + "running_var");
        n.add_input(p + (bn.affine ? "weight" : "onnx_scale"));
        n.add_input(p + (bn.affine ? "bias" : "onnx_shift"));
        n.add_input(p + "running_mean");
        n.add_input(p + "running_var");
    }

    // Flatten(1, -1) is ONNX's Flatten(axis 1); any other range a Reshape (0 keeps the batch).
    void flatten(::onnx::NodeProto& n, nn::Flatten& f, const Call& c) {
        const int64_t rank = c.input.dim();
        const int64_t start = f.start_dim < 0 ? f.start_dim + rank : f.start_dim;
        const int64_t end = f.end_dim < 0 ? f.end_dim + rank : f.end_dim;
        if (start == 1 && end == rank - 1) {
            n.set_op_type("Flatten");
            integer(n, "axis", 1);
            return;
        }
        n.set_op_type("Reshape");
        std::vector<int64_t> shape(c.output.shape().begin(), c.output.shape().end());
        if (start > 0 && !shape.empty()) shape[0] = 0;  // dim 0 copied from the input
        const std::string s = n.name() + ".shape";
        initializer(descent::tensor(shape, Shape{static_cast<int64_t>(shape.size())}, kInt64), s);
        n.add_input(s);
    }

    ::onnx::GraphProto& g_;
    int64_t opset_;
    std::map<const TensorImpl*, std::string> values_;
    std::set<std::string> initialized_;
    std::map<std::string, int64_t> calls_;  // layer name -> calls written so far
};

void set_value_info(::onnx::ValueInfoProto& v, const std::string& name, const Tensor& t,
                    bool dynamic_batch) {
    v.set_name(name);
    auto* tt = v.mutable_type()->mutable_tensor_type();
    tt->set_elem_type(detail::to_proto(descent::zeros({0}, t.dtype()), "").data_type());
    auto* shape = tt->mutable_shape();
    for (int64_t i = 0; i < t.dim(); ++i) {
        auto* d = shape->add_dim();
        if (i == 0 && dynamic_batch)
            d->set_dim_param("batch");
        else
            d->set_dim_value(t.shape()[i]);
    }
}

// What the forward computed outside any layer, for the error: its op, if the tape recorded one.
std::string made_by(const Tensor& t) {
    if (t.grad_fn()) return std::string("the op ") + t.grad_fn()->name();
    return "an op descent's tape did not record (no input required grad)";
}

void write_model(const std::vector<Call>& calls, const Tensor& input, const Tensor& output,
                 const std::string& graph_name, const std::string& path,
                 const ExportOptions& options);

}  // namespace

void export_model(nn::Module& module, const std::vector<Tensor>& example_inputs,
                  const std::string& path, const ExportOptions& options) {
    DESCENT_CHECK(example_inputs.size() == 1, ValueError, kWho,
                  ": expected one example input, got ", example_inputs.size());
    DESCENT_CHECK(options.opset >= 11 && options.opset <= 17, ValueError, kWho, ": opset ",
                  options.opset, " is outside the opsets descent writes (11-17)");
    const Tensor& input = example_inputs[0];
    DESCENT_CHECK(input.defined() && input.dim() >= 1, ValueError, kWho,
                  ": the example input must be a tensor with a batch dim");

    std::map<const nn::Module*, std::string> leaves;
    collect_leaves(module, "", leaves);
    std::vector<Call> calls;
    std::vector<RemovableHandle> handles;
    for (auto& [m, name] : leaves) {
        const std::string leaf_name = name;
        handles.push_back(const_cast<nn::Module*>(m)->register_forward_hook(
            [&calls, leaf_name](nn::Module& mod, const Tensor& in, const Tensor& out) {
                calls.push_back({leaf_name, &mod, in, out, {}, {}});
            }));
    }
    const bool was_training = module.is_training();
    module.eval();
    Tensor output;
    try {
        output = module(input);
    } catch (...) {
        for (auto& h : handles) h.remove();
        module.train(was_training);
        throw;
    }
    for (auto& h : handles) h.remove();
    module.train(was_training);

    write_model(calls, input, output, module.type_name(), path, options);
}

namespace {

// The traced calls as a checked ONNX model, written atomically to `path`.
void write_model(const std::vector<Call>& calls, const Tensor& input, const Tensor& output,
                 const std::string& graph_name, const std::string& path,
                 const ExportOptions& options) {
    ::onnx::ModelProto model;
    model.set_ir_version(8);  // ONNX 1.10-1.12's IR, which opsets up to 17 go with
    model.set_producer_name("descent");
    model.set_producer_version(descent::version());
    auto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(options.opset);
    ::onnx::GraphProto& g = *model.mutable_graph();
    g.set_name(graph_name);
    GraphWriter w(g, options.opset);
    w.bind(input, options.input_name);
    set_value_info(*g.add_input(), options.input_name, input, options.dynamic_batch);
    for (const Call& c : calls) {
        DESCENT_CHECK(!w.value_of(c.input).empty(), ValueError, kWho, ": the input of layer '",
                      c.name, "' (", c.module->type_name(), ") was computed outside any layer by ",
                      made_by(c.input), ", which export_model cannot write");
        w.write(c);
    }
    std::string out_name = w.value_of(output);
    DESCENT_CHECK(!out_name.empty(), ValueError, kWho,
                  ": the model's output was computed outside any layer by ", made_by(output),
                  ", which export_model cannot write");
    if (out_name != options.output_name) {  // the graph's output under its own name
        ::onnx::NodeProto* n = g.add_node();
        n->set_name("output");
        n->set_op_type("Identity");
        n->add_input(out_name);
        n->add_output(options.output_name);
    }
    set_value_info(*g.add_output(), options.output_name, output, options.dynamic_batch);

    try {
        ::onnx::checker::check_model(model);
        ::onnx::ShapeInferenceOptions strict{true, 1, false};
        ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(), strict);
    } catch (const std::exception& e) {
        throw InternalError(
            descent::detail::cat(kWho, ": the written model fails ONNX's checks: ", e.what()));
    }
    std::string bytes;
    DESCENT_ASSERT(model.SerializeToString(&bytes));
    descent::detail::AtomicFile file(path, "onnx::export_model");
    file.write(bytes);
    file.commit();
}

}  // namespace

void export_chain(const std::vector<ChainLayer>& layers, const Tensor& example_input,
                  const std::string& path, const ExportOptions& options) {
    DESCENT_CHECK(!layers.empty(), ValueError, kWho, ": export_chain needs at least one layer");
    DESCENT_CHECK(options.opset >= 14 && options.opset <= 17, ValueError, kWho, ": opset ",
                  options.opset, " is outside the opsets export_chain writes (14-17)");
    DESCENT_CHECK(example_input.defined() && example_input.dim() >= 1, ValueError, kWho,
                  ": the example input must be a tensor with a batch dim");
    std::vector<Call> calls;
    std::vector<std::pair<nn::Module*, bool>> modes;
    for (const ChainLayer& l : layers) {
        DESCENT_CHECK(l.module != nullptr || l.add.defined(), ValueError, kWho, ": layer '", l.name,
                      "' has neither a module nor a tensor to add");
        if (!l.module) continue;
        modes.emplace_back(l.module, l.module->is_training());
        l.module->eval();
    }
    auto restore = [&] {
        for (auto& [m, training] : modes) m->train(training);
    };
    try {
        NoGradGuard no_grad;
        Tensor x = example_input;
        for (const ChainLayer& l : layers) {
            nn::Module* m = l.module;
            Tensor y;
            if (!m)
                y = x + l.add;
            else if (auto* lstm = dynamic_cast<nn::LSTM*>(m))
                y = std::get<0>(lstm->forward(x));
            else if (auto* gru = dynamic_cast<nn::GRU*>(m))
                y = std::get<0>(gru->forward(x));
            else if (auto* rnn = dynamic_cast<nn::RNN*>(m))
                y = std::get<0>(rnn->forward(x));
            else if (auto* enc = dynamic_cast<nn::TransformerEncoder*>(m))
                y = enc->forward(x, l.mask);
            else
                y = m->forward(x);
            calls.push_back({l.name, m, x, y, l.add.defined() ? l.add.detach() : Tensor(), l.mask});
            x = y;
        }
        restore();
        write_model(calls, example_input, x, "chain", path, options);
    } catch (...) {
        restore();
        throw;
    }
}

}  // namespace descent::onnx
