// onnx::load: parse, check (ONNX's checker, then descent's own checks of sizes, opset, ops and
// definitions), register the initializers as parameters and buffers, and run the graph as a module.
#include "descent/onnx/load.hpp"

#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include <onnx/checker.h>

#include "descent/core/error.hpp"
#include "descent/onnx/tensor_proto.hpp"

namespace descent::onnx {

namespace {

Attribute read_attribute(const ::onnx::AttributeProto& a, const std::string& who) {
    Attribute r;
    r.i = a.i();
    r.f = a.f();
    r.s = a.s();
    r.ints.assign(a.ints().begin(), a.ints().end());
    r.floats.assign(a.floats().begin(), a.floats().end());
    r.strings.assign(a.strings().begin(), a.strings().end());
    if (a.has_t()) r.t = detail::from_proto(a.t(), who);
    return r;
}

// "fc1.weight" -> parameter (or buffer) "weight" of submodule "fc1" of `root`, made on demand; a
// name that cannot be a path (an empty part, a clash) is registered flat with '.' -> '_'.
Tensor* register_weight(nn::Module& root, const std::string& name, const Tensor& t, bool buffer) {
    std::vector<std::string> parts;
    std::stringstream ss(name);
    for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
    bool path_ok = !parts.empty() && name.back() != '.';
    for (const auto& p : parts) path_ok = path_ok && !p.empty();
    auto reg = [&](nn::Module& m, const std::string& leaf) -> Tensor* {
        return buffer ? &m.register_buffer(leaf, t) : &m.register_parameter(leaf, t);
    };
    if (path_ok) {
        try {
            nn::Module* m = &root;
            for (size_t i = 0; i + 1 < parts.size(); ++i) {
                nn::Module* next = nullptr;
                for (const auto& [child_name, child] : m->named_children())
                    if (child_name == parts[i]) next = child.get();
                if (!next)
                    next =
                        m->register_module(parts[i], std::make_shared<nn::Module>("Module")).get();
                m = next;
            }
            return reg(*m, parts.back());
        } catch (const ValueError&) {  // a clash with an existing name: flat instead
        }
    }
    std::string flat = name;
    for (char& c : flat)
        if (c == '.') c = '_';
    if (flat.empty()) flat = "_";
    std::string unique = flat;
    for (int k = 1;; ++k) {
        try {
            return reg(root, unique);
        } catch (const ValueError&) {
            unique = flat + "_" + std::to_string(k);
        }
    }
}

std::string supported_list() {
    std::string s;
    for (const auto& op : supported_ops()) s += (s.empty() ? "" : ", ") + op;
    return s;
}

}  // namespace

OnnxModel::OnnxModel() : nn::Module("OnnxModel") {}

std::shared_ptr<OnnxModel> load(const std::string& path) {
    const std::string who = "onnx::load(" + path + ")";
    std::ifstream f(path, std::ios::binary);
    DESCENT_CHECK(f.good(), IOError, who, ": cannot open the file");
    std::stringstream buf;
    buf << f.rdbuf();
    const std::string bytes = buf.str();
    ::onnx::ModelProto m;
    DESCENT_CHECK(!bytes.empty() && m.ParseFromString(bytes), IOError, who, ": not an ONNX model (",
                  bytes.size(),
                  " bytes that protobuf cannot parse as a ModelProto: truncated or corrupt?)");
    DESCENT_CHECK(m.has_graph(), IOError, who, ": not an ONNX model (no graph)");

    int64_t opset = -1;
    for (const auto& o : m.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
    DESCENT_CHECK(opset >= 0, ValueError, who,
                  ": the model imports no opset of the default ONNX domain");
    DESCENT_CHECK(opset >= 11 && opset <= 17, ValueError, who, ": opset ", opset,
                  " of the default domain; descent reads opsets 11-17");
    const ::onnx::GraphProto& g = m.graph();
    // Descent's own checks first (the checker assumes sound sizes), tensors before any allocation.
    for (const auto& t : g.initializer())
        DESCENT_CHECK(
            t.data_location() != ::onnx::TensorProto::EXTERNAL && t.external_data_size() == 0,
            IOError, who, ": initializer \"", t.name(),
            "\" keeps its data in an external file, which descent does not read");
    for (int i = 0; i < g.node_size(); ++i) {
        const auto& n = g.node(i);
        const std::string domain = n.domain().empty() ? "ai.onnx" : n.domain();
        DESCENT_CHECK(domain == "ai.onnx" && op_supported(n.op_type()), ValueError, who, ": node '",
                      n.name(), "' (#", i, ") has op ",
                      n.domain().empty() ? "" : n.domain() + "::", n.op_type(), " (opset ", opset,
                      "), which descent does not map; it maps ", supported_list());
    }
    try {
        ::onnx::checker::check_model(m);
    } catch (const std::exception& e) {
        throw IOError(descent::detail::cat(who, ": fails ONNX's checker: ", e.what()));
    }

    auto model = std::shared_ptr<OnnxModel>(new OnnxModel());
    model->opset_ = opset;
    std::set<std::string> defined;
    // BatchNormalization's running statistics are buffers; every other float initializer trains.
    std::set<std::string> statistics;
    for (const auto& n : g.node())
        if (n.op_type() == "BatchNormalization")
            for (int k = 3; k < std::min(5, n.input_size()); ++k) statistics.insert(n.input(k));
    for (const auto& init : g.initializer()) {
        Tensor t = detail::from_proto(init, who);
        DESCENT_CHECK(defined.insert(init.name()).second, IOError, who, ": initializer \"",
                      init.name(), "\" is defined twice");
        if (t.is_floating_point())
            model->weights_.emplace_back(
                init.name(),
                register_weight(*model, init.name(), t, statistics.count(init.name()) > 0));
        else
            model->constants_.emplace_back(init.name(), t);
    }
    for (const auto& in : g.input())
        if (!defined.count(in.name())) {
            model->inputs_.push_back(in.name());
            defined.insert(in.name());
        }
    for (int i = 0; i < g.node_size(); ++i) {
        const auto& n = g.node(i);
        GraphNode node;
        node.op_type = n.op_type();
        node.name = n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name();
        node.index = i;
        for (const auto& in : n.input()) {
            DESCENT_CHECK(in.empty() || defined.count(in), ValueError, who, ": node '", node.name,
                          "' (", node.op_type, ", #", i, ") reads \"", in,
                          "\", which no input, initializer or earlier node defines (a cycle or a "
                          "missing value)");
            node.inputs.push_back(in);
        }
        for (const auto& out : n.output()) {
            node.outputs.push_back(out);
            if (!out.empty()) defined.insert(out);
        }
        for (const auto& a : n.attribute())
            node.attributes[a.name()] = read_attribute(a, who + ": node '" + node.name + "'");
        model->nodes_.push_back(std::move(node));
    }
    for (const auto& out : g.output()) {
        DESCENT_CHECK(defined.count(out.name()), ValueError, who, ": graph output \"", out.name(),
                      "\" is not computed by any node");
        model->outputs_.push_back(out.name());
    }
    DESCENT_CHECK(!model->outputs_.empty(), ValueError, who, ": the graph has no output");
    return model;
}

std::vector<Tensor> OnnxModel::run(const std::vector<Tensor>& inputs) {
    DESCENT_CHECK(inputs.size() == inputs_.size(), ValueError, "OnnxModel::run(): the graph has ",
                  inputs_.size(), " inputs, got ", inputs.size());
    std::map<std::string, Tensor> values;
    for (size_t i = 0; i < inputs.size(); ++i) values[inputs_[i]] = inputs[i];
    for (const auto& [name, t] : weights_) values[name] = *t;
    for (const auto& [name, t] : constants_) values[name] = t;
    for (const GraphNode& n : nodes_) {
        std::vector<Tensor> args;
        for (const auto& in : n.inputs) args.push_back(in.empty() ? Tensor() : values.at(in));
        std::vector<Tensor> outs = run_node(n, args, opset_);
        for (size_t k = 0; k < n.outputs.size() && k < outs.size(); ++k)
            if (!n.outputs[k].empty()) values[n.outputs[k]] = outs[k];
        for (size_t k = outs.size(); k < n.outputs.size(); ++k)
            DESCENT_CHECK(n.outputs[k].empty(), ValueError, "OnnxModel: node '", n.name, "' (",
                          n.op_type, "): output ", k, " (\"", n.outputs[k],
                          "\") is not computed by descent's mapping of ", n.op_type);
    }
    std::vector<Tensor> out;
    for (const auto& name : outputs_) out.push_back(values.at(name));
    return out;
}

Tensor OnnxModel::forward(const Tensor& x) {
    DESCENT_CHECK(inputs_.size() == 1, ValueError, "OnnxModel::forward(): the graph has ",
                  inputs_.size(), " inputs; call run() with all of them");
    return run({x})[0];
}

void OnnxModel::pretty_print(std::ostream& os) const {
    os << "OnnxModel(opset=" << opset_ << ", nodes=" << nodes_.size() << ": ";
    for (size_t i = 0; i < nodes_.size() && i < 12; ++i) os << (i ? " " : "") << nodes_[i].op_type;
    if (nodes_.size() > 12) os << " ...";
    os << ")";
}

}  // namespace descent::onnx
