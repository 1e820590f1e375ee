// The backward engine. There is no global tape: the "tape" is the reverse topological order of the
// graph hanging off the outputs, computed when backward runs (an iterative DFS, so a 100,000-op
// chain cannot overflow the stack). Each node is applied once, after every node that uses its
// output, with the sum of the gradients they sent it.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "descent/autograd/node.hpp"

namespace descent::autograd {

// Accumulates into .grad() of every leaf that requires grad the gradient of the `tensors`, weighted
// by `grad_tensors` (which may be omitted for one-element tensors). retain_graph defaults to
// create_graph; without it the graph's saved tensors are freed. torch::autograd::backward.
void backward(const std::vector<Tensor>& tensors, const std::vector<Tensor>& grad_tensors = {},
              std::optional<bool> retain_graph = std::nullopt, bool create_graph = false);

// Returns d(outputs · grad_outputs)/d(input) for each input, without touching any .grad().
// An input the outputs do not depend on is an error unless allow_unused (then its gradient is
// undefined). With create_graph the results are themselves differentiable. torch::autograd::grad.
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs = {},
                         std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                         bool allow_unused = false);

namespace detail {
// Every node reachable from `roots`, each before all the nodes it sends gradients to: the order in
// which backward applies them.
std::vector<std::shared_ptr<Node>> topological_order(
    const std::vector<std::shared_ptr<Node>>& roots);
}  // namespace detail

}  // namespace descent::autograd
