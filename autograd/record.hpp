// How a built-in op records itself. After computing its output, an op calls
//     if (auto node = record<MulBackward>(out, a, b)) node->save_for_backward({a, b});
// which returns null, at the cost of a few flag tests, unless grad mode is on and an input requires
// grad; otherwise it creates the node, connects it to the inputs and makes it the output's grad_fn.
// Internal to descent's ops; users write ops with autograd::Function (function.hpp).
#pragma once

#include <memory>
#include <vector>

#include "descent/autograd/accumulate_grad.hpp"
#include "descent/autograd/anomaly_mode.hpp"
#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/saved_tensor.hpp"

namespace descent::autograd::detail {

// The edge along which an input receives its gradient.
inline Edge edge_to(const Tensor& input) {
    if (!input.requires_grad()) return {nullptr, input.shape(), input.dtype()};
    if (input.grad_fn()) return {input.grad_fn(), input.shape(), input.dtype()};
    return {AccumulateGrad::of(input), input.shape(), input.dtype()};
}

inline void attach(const std::shared_ptr<Node>& node, std::vector<Edge> edges, Tensor& out) {
    node->connect(std::move(edges), out.shape());
    out.impl()->grad_fn = node;
    out.impl()->requires_grad = true;
    if (is_anomaly_enabled()) {
        node->created_at = CallSite::running();  // the user's call (core/source_location.hpp)
        check_forward(*node, out);
    }
}

template <class NodeT, class... Inputs>
std::shared_ptr<NodeT> record(Tensor& out, const Inputs&... inputs) {
    if (!GradMode::is_enabled() || !(inputs.requires_grad() || ...)) return nullptr;
    auto node = std::make_shared<NodeT>();
    attach(node, {edge_to(inputs)...}, out);
    return node;
}

// The same, for ops with a list of inputs (cat, stack).
template <class NodeT>
std::shared_ptr<NodeT> record_list(Tensor& out, const std::vector<Tensor>& inputs) {
    if (!GradMode::is_enabled()) return nullptr;
    bool any = false;
    for (const Tensor& t : inputs) any = any || t.requires_grad();
    if (!any) return nullptr;
    auto node = std::make_shared<NodeT>();
    std::vector<Edge> edges;
    edges.reserve(inputs.size());
    for (const Tensor& t : inputs) edges.push_back(edge_to(t));
    attach(node, std::move(edges), out);
    return node;
}

}  // namespace descent::autograd::detail
