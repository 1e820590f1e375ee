// to_dot and render: the tape drawn as a Graphviz graph, and `dot` run on it.
#include "descent/study/graph.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "descent/autograd/accumulate_grad.hpp"
#include "descent/autograd/engine.hpp"
#include "descent/core/error.hpp"
#include "descent/core/process.hpp"

namespace descent::study {

using autograd::AccumulateGrad;
using autograd::Edge;
using autograd::Node;

namespace {

struct Leaf {
    std::string name;
    bool parameter = false;
    Tensor tensor;
};

std::string shape_text(const Shape& s) {
    std::ostringstream o;
    o << s;
    return o.str();
}

std::string values_text(const Tensor& view) {
    const Tensor t = descent::detail::dense(view);
    std::ostringstream o;
    o << '[';
    for (int64_t i = 0; i < t.numel(); ++i) o << (i ? ", " : "") << t.data()[i];
    o << ']';
    return o.str();
}

// "grad [..]" for a tiny gradient, "grad norm x" otherwise.
std::string grad_text(const Tensor& view, int64_t max_values) {
    if (view.numel() <= max_values) return "grad " + values_text(view);
    const Tensor g = descent::detail::dense(view);
    double sq = 0;
    for (int64_t i = 0; i < g.numel(); ++i) sq += double(g.data()[i]) * g.data()[i];
    std::ostringstream o;
    o << "grad norm " << std::sqrt(sq);
    return o.str();
}

// Lines joined by DOT's centred line break.
std::string label(const std::vector<std::string>& lines) {
    std::string s;
    for (const std::string& l : lines) s += (s.empty() ? "" : "\\n") + l;
    return s;
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

namespace {

// Which nodes are drawn and under what DOT id: the graph backward would run, each node's distance
// from the root, the named leaves, and the collapsed modules' boxes.
struct Layout {
    std::shared_ptr<Node> start;
    std::vector<std::shared_ptr<Node>> order;  // backward's order
    std::unordered_map<const Node*, int64_t> depth;
    std::unordered_map<const Node*, Leaf> leaves;
    std::unordered_map<const Node*, size_t> box;  // node -> index of its collapsed module
    std::unordered_map<const Node*, std::string> id;
};

Layout make_layout(const Tensor& root, const GraphOptions& options, const char* op) {
    DESCENT_CHECK(root.defined() && root.requires_grad(), StateError, op, "(): the root ",
                  (root.defined() ? "does not require grad" : "is undefined"),
                  ", so there is no graph to draw");
    Layout g;
    g.start = root.grad_fn() ? root.grad_fn() : AccumulateGrad::of(root);
    g.order = autograd::detail::topological_order({g.start});
    auto& order = g.order;
    auto& depth = g.depth;
    auto& leaves = g.leaves;
    auto& box = g.box;

    // Distance from the root: every consumer comes before its inputs in `order`.
    depth[g.start.get()] = 0;
    for (const auto& n : order)
        for (const Edge& e : n->next_edges())
            if (e.fn) {
                auto [it, fresh] = depth.emplace(e.fn.get(), depth[n.get()] + 1);
                if (!fresh) it->second = std::min(it->second, depth[n.get()] + 1);
            }

    auto add_leaves = [&](const NamedTensors& named, bool parameter) {
        for (const auto& [name, t] : named)
            if (t.defined() && t.is_leaf())
                if (auto acc = t.impl()->grad_accumulator.lock())
                    leaves.emplace(acc.get(), Leaf{name, parameter, t});
    };
    // An input that needs no gradient has no node and no edge in the graph: naming it draws
    // nothing, so it is refused rather than silently left out.
    for (const auto& [name, t] : options.inputs)
        DESCENT_CHECK(!t.defined() || t.requires_grad(), ValueError, op, "(): input '", name, "' ",
                      t.shape(), " does not require grad, so the graph has no edge to it; call ",
                      name, ".requires_grad_() before the forward to draw it, or leave it out of "
                      "GraphOptions::inputs");
    add_leaves(options.parameters, true);
    add_leaves(options.inputs, false);

    // Collapsed modules: their parameters' nodes, then every op with an edge to one of those.
    for (size_t b = 0; b < options.collapse.size(); ++b)
        for (const auto& [node, leaf] : leaves)
            if (leaf.parameter && starts_with(leaf.name, options.collapse[b] + ".")) box[node] = b;
    for (const auto& n : order) {
        if (box.count(n.get())) continue;
        for (const Edge& e : n->next_edges()) {
            auto it = e.fn ? box.find(e.fn.get()) : box.end();
            if (it != box.end() && leaves.count(e.fn.get())) {
                box[n.get()] = it->second;
                break;
            }
        }
    }

    for (size_t i = 0; i < order.size(); ++i) {
        auto b = box.find(order[i].get());
        g.id[order[i].get()] =
            b != box.end() ? "m" + std::to_string(b->second) : "n" + std::to_string(i);
    }
    return g;
}

}  // namespace

std::vector<detail::DrawnNode> detail::drawn_nodes(const Tensor& root, const GraphOptions& options,
                                                   const char* op) {
    const Layout g = make_layout(root, options, op);
    std::vector<DrawnNode> nodes;
    for (const auto& n : g.order) {
        auto leaf = g.leaves.find(n.get());
        const std::string label = leaf != g.leaves.end()    ? leaf->second.name
                                  : n->next_edges().empty() ? "leaf"
                                                            : n->name();
        nodes.push_back({n.get(), g.id.at(n.get()), label});
    }
    return nodes;
}

std::string to_dot(const Tensor& root, const GraphOptions& options) {
    Layout g = make_layout(root, options, "to_dot");
    const std::shared_ptr<Node>& start = g.start;
    const auto& order = g.order;
    auto& depth = g.depth;
    auto& leaves = g.leaves;
    auto& box = g.box;
    auto& id = g.id;
    auto kept = [&](const Node* n) {
        return options.max_depth < 0 || depth[n] <= options.max_depth;
    };

    std::ostringstream dot;
    dot << "digraph descent {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=10];\n";
    std::vector<size_t> box_ops(options.collapse.size(), 0);
    std::vector<bool> box_kept(options.collapse.size(), false);
    for (const auto& n : order) {
        if (!kept(n.get())) continue;
        auto b = box.find(n.get());
        if (b != box.end()) {
            box_kept[b->second] = true;
            if (!leaves.count(n.get())) ++box_ops[b->second];
            continue;
        }
        std::vector<std::string> lines;
        auto leaf = leaves.find(n.get());
        Tensor value;  // the node's output, when it is known
        if (leaf != leaves.end()) {
            value = leaf->second.tensor;
            lines = {leaf->second.name, leaf->second.parameter ? "parameter" : "input"};
        } else if (n->next_edges().empty()) {
            lines = {"leaf"};
        } else {
            lines = {n->name()};
        }
        if (n == start) value = root;
        if (auto out = n->retained_output.lock()) value = Tensor(out);
        lines.push_back(shape_text(n->output_shape()));
        if (value.defined() && value.numel() <= options.max_values)
            lines.push_back(values_text(value));
        // A non-leaf root has a gradient only if retained: asking otherwise would warn.
        if (options.gradients && value.defined() && (value.is_leaf() || value.retains_grad()) &&
            value.grad().defined())
            lines.push_back(grad_text(value.grad(), options.max_values));
        const bool is_leaf = n->next_edges().empty();
        dot << "  " << id[n.get()] << " [label=\"" << label(lines)
            << "\", shape=" << (is_leaf ? "ellipse" : "box")
            << (leaf != leaves.end() && leaf->second.parameter
                    ? ", style=filled, fillcolor=lightblue"
                    : "")
            << "];\n";
    }
    for (size_t b = 0; b < options.collapse.size(); ++b) {
        if (!box_kept[b]) continue;
        std::vector<std::string> lines{options.collapse[b]};
        lines.push_back(std::to_string(box_ops[b]) + (box_ops[b] == 1 ? " op" : " ops"));
        const std::string prefix = options.collapse[b] + ".";
        for (const auto& [name, t] : options.parameters) {  // in the module's order
            auto acc = t.defined() ? t.impl()->grad_accumulator.lock() : nullptr;
            if (starts_with(name, prefix) && acc && depth.count(acc.get()) && kept(acc.get()))
                lines.push_back(name.substr(prefix.size()) + " " + shape_text(t.shape()));
        }
        dot << "  m" << b << " [label=\"" << label(lines)
            << "\", shape=box, style=\"rounded,filled\", fillcolor=lightyellow];\n";
    }
    // Edges in the forward direction, input -> consumer, once per pair of drawn nodes.
    std::set<std::pair<std::string, std::string>> drawn;
    for (const auto& n : order) {
        if (!kept(n.get())) continue;
        for (const Edge& e : n->next_edges()) {
            if (!e.fn || !kept(e.fn.get())) continue;
            const std::string& from = id[e.fn.get()];
            const std::string& to = id[n.get()];
            if (from != to && drawn.emplace(from, to).second)
                dot << "  " << from << " -> " << to << ";\n";
        }
    }
    dot << "}\n";
    return dot.str();
}

void render(const std::string& dot_text, const std::string& path) {
    const std::string ext = path.size() > 4 ? path.substr(path.size() - 4) : "";
    DESCENT_CHECK(ext == ".svg" || ext == ".png", ValueError, "render(): \"", path,
                  "\" should end in .svg or .png, the formats render() writes");
    DESCENT_CHECK(descent::detail::on_path("dot"), IOError,
                  "render(): Graphviz's dot program is not on PATH (install the graphviz "
                  "package, e.g. with scripts/install-deps.sh)");
    const std::string source = path + ".tmp.dot", temp = path + ".tmp";
    {
        std::ofstream f(source);
        f << dot_text;
        DESCENT_CHECK(f.good(), IOError, "render(): cannot write ", source);
    }
    const std::string format = "-T" + ext.substr(1);
    const int status = descent::detail::run_program({"dot", format, "-o", temp, source});
    std::remove(source.c_str());
    if (status != 0) std::remove(temp.c_str());
    DESCENT_CHECK(status == 0, IOError, "render(): dot ", format, " failed for ", path,
                  "; exit status ", status);
    DESCENT_CHECK(std::rename(temp.c_str(), path.c_str()) == 0, IOError, "render(): cannot move ",
                  temp, " to ", path);
}

}  // namespace descent::study
