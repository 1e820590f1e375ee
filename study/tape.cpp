// The tape, made visible: lists the nodes backward would run from a tensor, in its order.
#include "descent/study/tape.hpp"

#include <iomanip>
#include <ostream>

#include "descent/autograd/accumulate_grad.hpp"
#include "descent/autograd/engine.hpp"

namespace descent::study {

using autograd::AccumulateGrad;
using autograd::Edge;
using autograd::Node;

std::vector<TapeEntry> tape(const Tensor& root) {
    std::vector<TapeEntry> entries;
    if (!root.defined() || !root.requires_grad()) return entries;
    const std::shared_ptr<Node> start = root.grad_fn() ? root.grad_fn() : AccumulateGrad::of(root);
    for (const auto& node : autograd::detail::topological_order({start})) {
        TapeEntry e{node->name(), {}, node->output_shape(), node->released()};
        for (const Edge& edge : node->next_edges()) e.inputs.push_back(edge.shape);
        entries.push_back(std::move(e));
    }
    return entries;
}

void print_tape(std::ostream& os, const Tensor& root) {
    const std::vector<TapeEntry> entries = tape(root);
    size_t width = 2;
    for (const TapeEntry& e : entries) width = std::max(width, e.op.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        const TapeEntry& e = entries[i];
        os << std::setw(4) << i << "  " << std::left << std::setw(static_cast<int>(width) + 2)
           << e.op << std::right;
        for (size_t k = 0; k < e.inputs.size(); ++k) os << (k ? ", " : "") << e.inputs[k];
        os << (e.inputs.empty() ? "" : " ") << "-> " << e.output << (e.freed ? "  [freed]" : "")
           << '\n';
    }
}

}  // namespace descent::study
