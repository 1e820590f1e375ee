// backward() and grad(): orders the graph off the outputs (iterative DFS) and applies each node
// once, after all its consumers, summing the gradients that reach it.
#include "descent/autograd/engine.hpp"

#include <unordered_map>
#include <unordered_set>

#include "descent/autograd/accumulate_grad.hpp"
#include "descent/autograd/anomaly_mode.hpp"
#include "descent/autograd/backward_observer.hpp"
#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::autograd {

namespace detail {

std::vector<std::shared_ptr<Node>> topological_order(
    const std::vector<std::shared_ptr<Node>>& roots) {
    // Iterative post-order DFS: a node is emitted after everything upstream of it; the reversed
    // list puts every node before the nodes it feeds gradients to.
    std::vector<std::shared_ptr<Node>> post;
    std::unordered_set<const Node*> seen;
    std::vector<std::pair<Node*, size_t>> stack;  // node, next edge to visit
    for (const auto& root : roots) {
        if (!root || !seen.insert(root.get()).second) continue;
        stack.emplace_back(root.get(), 0);
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            const auto& edges = node->next_edges();
            if (next < edges.size()) {
                Node* child = edges[next++].fn.get();
                if (child && seen.insert(child).second) stack.emplace_back(child, 0);
            } else {
                post.push_back(node->shared_from_this());
                stack.pop_back();
            }
        }
    }
    return {post.rbegin(), post.rend()};
}

}  // namespace detail

namespace {

// slot += g. In place when slot's buffer is ours alone; out of place (recorded) under create_graph.
void accumulate(Tensor& slot, Tensor g) {
    if (!slot.defined()) {
        slot = std::move(g);
    } else if (!GradMode::is_enabled() && uniquely_owned(slot) && slot.is_contiguous() &&
               slot.dtype() == g.dtype() && slot.is_floating_point()) {
        add_into(slot, g);
    } else {
        slot = add(slot, g);
    }
}

// Runs the tensor hooks on the gradient reaching `node`, each on the previous one's result. A copy
// of the list is walked, so a hook may remove itself.
void run_tensor_hooks(Node& node, Tensor& grad) {
    const auto hooks = node.tensor_hooks();
    for (const auto& [id, hook] : hooks) {
        Tensor replaced = hook(grad);
        if (!replaced.defined()) continue;
        DESCENT_CHECK(replaced.shape() == grad.shape(), ShapeError, "register_hook(): hook ", id,
                      " on the gradient reaching ", node.name(), " (shape ", grad.shape(),
                      ") returned a gradient of shape ", replaced.shape());
        grad = std::move(replaced);
    }
}

struct Root {
    std::shared_ptr<Node> fn;
    Tensor grad;
};

// Checks the user's (tensor, gradient) pairs and turns them into root nodes with their seed.
std::vector<Root> make_roots(const std::vector<Tensor>& tensors, const std::vector<Tensor>& grads,
                             const char* op) {
    DESCENT_CHECK(grads.empty() || grads.size() == tensors.size(), ValueError, op, "(): got ",
                  tensors.size(), " tensors but ", grads.size(), " gradients");
    std::vector<Root> roots;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const Tensor& t = tensors[i];
        DESCENT_CHECK(t.defined(), ValueError, op, "(): tensor ", i, " is undefined");
        DESCENT_CHECK(t.requires_grad(), StateError, op, "(): tensor ", i, " of shape ", t.shape(),
                      " does not require grad and has no grad_fn, so there is nothing to "
                      "differentiate (did you forget requires_grad_() on an input?)");
        Tensor g = grads.empty() ? Tensor() : grads[i];
        if (!g.defined()) {
            DESCENT_CHECK(t.numel() == 1, ValueError, op,
                          "(): a gradient can be implicitly created only for a one-element "
                          "tensor; tensor ",
                          i, " has shape ", t.shape(), ", so pass a gradient of that shape");
            g = ones(t.shape(), t.dtype());
        }
        DESCENT_CHECK(g.shape() == t.shape(), ShapeError, op, "(): gradient of shape ", g.shape(),
                      " does not match tensor ", i, " of shape ", t.shape());
        roots.push_back({t.grad_fn() ? t.grad_fn() : AccumulateGrad::of(t), g});
    }
    return roots;
}

// Runs backward from `roots`. With `capture` non-empty (autograd::grad), the gradients reaching
// those nodes are returned instead of accumulated into leaves, and only nodes on a path to one of
// them run.
std::vector<Tensor> run(const std::vector<Root>& roots, const std::vector<Node*>& capture,
                        bool retain_graph, bool create_graph) {
    std::vector<std::shared_ptr<Node>> root_fns;
    for (const Root& r : roots) root_fns.push_back(r.fn);
    const std::vector<std::shared_ptr<Node>> order = detail::topological_order(root_fns);

    const bool capturing = !capture.empty();
    std::unordered_map<const Node*, std::vector<size_t>> capture_slots;
    for (size_t i = 0; i < capture.size(); ++i)
        if (capture[i]) capture_slots[capture[i]].push_back(i);
    // needed: a captured node, or one with a needed node upstream. Every node comes before its
    // inputs in `order`, so walking it backwards sees inputs first.
    std::unordered_set<const Node*> needed;
    if (capturing) {
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const Node* n = it->get();
            bool need = capture_slots.count(n) > 0;
            for (const Edge& e : n->next_edges()) need = need || (e.fn && needed.count(e.fn.get()));
            if (need) needed.insert(n);
        }
    }

    AutoGradMode mode(create_graph);  // create_graph: the backward ops below are recorded
    std::unordered_map<const Node*, Tensor> pending;
    for (const Root& r : roots) accumulate(pending[r.fn.get()], r.grad);

    std::vector<Tensor> captured(capture.size());
    const BackwardObserver* observer = detail::backward_observer();
    for (size_t index = 0; index < order.size(); ++index) {
        const std::shared_ptr<Node>& node = order[index];
        if (capturing && !needed.count(node.get())) continue;
        auto it = pending.find(node.get());
        if (it == pending.end()) continue;  // no gradient flowed here
        Tensor grad = std::move(it->second);
        pending.erase(it);
        if (!node->tensor_hooks().empty()) run_tensor_hooks(*node, grad);

        if (capturing) {
            auto slot = capture_slots.find(node.get());
            if (slot != capture_slots.end()) {
                for (size_t i : slot->second) captured[i] = grad;
                if (dynamic_cast<AccumulateGrad*>(node.get()))
                    continue;  // grad() never accumulates
            }
        }
        DESCENT_CHECK(!node->released(), StateError, "backward(): trying to backward through ",
                      node->name(), " (output shape ", node->output_shape(),
                      ") a second time, but its saved tensors were freed by the first backward; "
                      "pass retain_graph=true to the first backward() to call it twice");
        DESCENT_CHECK(!(create_graph && node->once_differentiable()), StateError,
                      "backward(): ", node->name(),
                      " is once-differentiable: its backward is a "
                      "fused kernel that cannot be recorded, so create_graph=true is not "
                      "supported through it");
        if (auto out = node->retained_output.lock()) {
            Tensor g = create_graph ? grad : grad.detach().clone();
            if (out->grad.defined()) {
                out->grad = create_graph ? add(out->grad, g) : add(out->grad.detach(), g);
            } else {
                out->grad = g;
            }
        }

        Tensor observed = observer ? grad : Tensor();  // a handle, kept only for the observer
        std::vector<Tensor> input_grads = node->apply(std::move(grad));
        if (!retain_graph) node->release();
        if (observer) (*observer)(BackwardStep{index, *node, observed, input_grads});
        if (is_anomaly_enabled()) detail::check_backward(*node, input_grads);

        const auto& edges = node->next_edges();
        DESCENT_ASSERT(input_grads.size() == edges.size() || input_grads.empty(), "(", node->name(),
                       " returned ", input_grads.size(), " gradients for ", edges.size(),
                       " inputs)");
        for (size_t i = 0; i < input_grads.size(); ++i) {
            if (!edges[i].fn || !input_grads[i].defined()) continue;
            DESCENT_ASSERT(input_grads[i].shape() == edges[i].shape, "(", node->name(),
                           " returned a gradient of shape ", input_grads[i].shape(), " for input ",
                           i, " of shape ", edges[i].shape, ")");
            // A mixed-dtype op (float32 * float64) computes in the promoted dtype; each input
            // receives its gradient in its own dtype, as PyTorch's engine converts it.
            if (input_grads[i].dtype() != edges[i].dtype)
                input_grads[i] = input_grads[i].to(edges[i].dtype);
            accumulate(pending[edges[i].fn.get()], std::move(input_grads[i]));
        }
    }
    return captured;
}

}  // namespace

void backward(const std::vector<Tensor>& tensors, const std::vector<Tensor>& grad_tensors,
              std::optional<bool> retain_graph, bool create_graph) {
    const std::vector<Root> roots = make_roots(tensors, grad_tensors, "backward");
    run(roots, {}, retain_graph.value_or(create_graph), create_graph);
}

std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, std::optional<bool> retain_graph,
                         bool create_graph, bool allow_unused) {
    const std::vector<Root> roots = make_roots(outputs, grad_outputs, "grad");
    std::vector<Node*> capture;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const Tensor& x = inputs[i];
        DESCENT_CHECK(x.defined() && x.requires_grad(), StateError, "grad(): input ", i,
                      (x.defined() ? " of shape " : ""), (x.defined() ? x.shape() : Shape{}),
                      " does not require grad");
        // A leaf's gradient is what reaches its AccumulateGrad; a non-leaf's, what reaches its op.
        capture.push_back(x.grad_fn() ? x.grad_fn().get()
                                      : x.impl()->grad_accumulator.lock().get());
    }
    std::vector<Tensor> result =
        run(roots, capture, retain_graph.value_or(create_graph), create_graph);
    for (size_t i = 0; i < result.size(); ++i)
        DESCENT_CHECK(result[i].defined() || allow_unused, ValueError, "grad(): input ", i,
                      " of shape ", inputs[i].shape(),
                      " was not used to compute the outputs; pass allow_unused=true to get an "
                      "undefined gradient for it");
    return result;
}

}  // namespace descent::autograd
