// export_model: one forward traced layer by layer through forward hooks, each layer written as
// ONNX nodes (Gemm, Conv, MaxPool, BatchNormalization...) whose weights are the layer's parameters
// under their dotted names; then ONNX's checker and shape inference, then an atomic write.
#include "descent/onnx/export.hpp"

#include <functional>
#include <map>
#include <memory>
#include <set>

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include "descent/autograd/node.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/version.hpp"
#include "descent/nn/activation.hpp"
#include "descent/nn/batch_norm.hpp"
#include "descent/nn/conv.hpp"
#include "descent/nn/dropout.hpp"
#include "descent/nn/flatten.hpp"
#include "descent/nn/linear.hpp"
#include "descent/nn/pool.hpp"
#include "descent/onnx/tensor_proto.hpp"

namespace descent::onnx {

namespace {

constexpr const char* kWho = "onnx::export_model()";

// One leaf module's call, as its forward hook saw it.
struct Call {
    std::string name;  // dotted, as named_modules: "3", "features.0"
    nn::Module* module;
    Tensor input, output;
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
    GraphWriter(::onnx::GraphProto& g) : g_(g) {}

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
        ::onnx::NodeProto* n = g_.add_node();
        n->set_name((c.name.empty() ? m->type_name() : c.name) + suffix);
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
                "Softmax, LogSoftmax, Dropout, Identity)"));
        }
        bind(c.output, y);
    }

    void initializer(const Tensor& t, const std::string& name) {
        if (!initialized_.insert(name).second) return;  // a weight shared by two calls
        *g_.add_initializer() = detail::to_proto(t, name);
    }

private:
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
                calls.push_back({leaf_name, &mod, in, out});
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

    ::onnx::ModelProto model;
    model.set_ir_version(8);  // ONNX 1.10-1.12's IR, which opsets up to 17 go with
    model.set_producer_name("descent");
    model.set_producer_version(descent::version());
    auto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(options.opset);
    ::onnx::GraphProto& g = *model.mutable_graph();
    g.set_name(module.type_name());
    GraphWriter w(g);
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

}  // namespace descent::onnx
