// The tape, made visible: lists the nodes backward would run from a tensor, in its order.
#include "descent/study/tape.hpp"

#include <iomanip>
#include <ostream>
#include <unordered_map>

#include "descent/autograd/accumulate_grad.hpp"
#include "descent/autograd/engine.hpp"

namespace descent::study {

using autograd::AccumulateGrad;
using autograd::Edge;
using autograd::Node;

std::vector<TapeEntry> tape(const Tensor& root, const NamedTensors& names) {
    std::vector<TapeEntry> entries;
    if (!root.defined() || !root.requires_grad()) return entries;
    const std::shared_ptr<Node> start = root.grad_fn() ? root.grad_fn() : AccumulateGrad::of(root);
    const auto order = autograd::detail::topological_order({start});
    std::unordered_map<const Node*, std::string> leaf_names;
    for (const auto& [name, t] : names)
        if (t.defined() && t.is_leaf())
            if (auto acc = t.impl()->grad_accumulator.lock()) leaf_names.emplace(acc.get(), name);
    for (size_t i = 0; i < order.size(); ++i) {
        const Node* node = order[i].get();
        TapeEntry e{node->name(), {}, node->output_shape(), node->released(), ""};
        for (const Edge& edge : node->next_edges()) e.inputs.push_back(edge.shape);
        if (dynamic_cast<const AccumulateGrad*>(node)) {
            auto named = leaf_names.find(node);
            if (named != leaf_names.end()) e.leaf = named->second;
            // Its first consumer comes before it in backward's order.
            for (size_t j = 0; j < i && e.leaf.empty(); ++j) {
                const auto& edges = order[j]->next_edges();
                for (size_t k = 0; k < edges.size() && e.leaf.empty(); ++k)
                    if (edges[k].fn.get() == node)
                        e.leaf = "input " + std::to_string(k) + " of #" + std::to_string(j) + " " +
                                 order[j]->name();
            }
            if (e.leaf.empty()) e.leaf = "the root itself";
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

void print_tape(std::ostream& os, const Tensor& root, const NamedTensors& names) {
    const std::vector<TapeEntry> entries = tape(root, names);
    size_t width = 2;
    for (const TapeEntry& e : entries) width = std::max(width, e.op.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        const TapeEntry& e = entries[i];
        os << std::setw(4) << i << "  " << std::left << std::setw(static_cast<int>(width) + 2)
           << e.op << std::right;
        for (size_t k = 0; k < e.inputs.size(); ++k) os << (k ? ", " : "") << e.inputs[k];
        os << (e.inputs.empty() ? "" : " ") << "-> " << e.output;
        if (!e.leaf.empty()) os << "  into " << e.leaf;
        os << (e.freed ? "  [freed]" : "") << '\n';
    }
}

}  // namespace descent::study
