// Node: connecting a node to its inputs, saving and releasing its tensors, and freeing long chains
// without recursion.
#include "descent/autograd/node.hpp"

#include "descent/core/error.hpp"
#include "descent/core/release.hpp"

namespace descent::autograd {

Node::~Node() {
    // The edges are the next links of a possibly 100,000-long chain: no recursive destruction.
    for (Edge& e : next_edges_) descent::detail::release_iteratively(std::move(e.fn));
}

void Node::save(const Tensor* tensors, size_t n) {
    saved_.clear();
    saved_.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const Tensor& t = tensors[i];
        // The node's own output (relu, exp, softmax save it): its grad_fn is this node.
        const bool is_output = t.defined() && t.impl()->grad_fn.get() == this;
        saved_.emplace_back(t, is_output);
    }
}

Tensor Node::saved(size_t i) {
    DESCENT_ASSERT(i < saved_.size(), "(saved(", i, ") of a node that saved ", saved_.size(), ")");
    return saved_[i].unpack(*this);
}

void Node::release() {
    saved_.clear();
    saved_.shrink_to_fit();
    released_ = true;
}

void Node::connect(std::vector<Edge> edges, Shape output_shape) {
    next_edges_ = std::move(edges);
    output_shape_ = std::move(output_shape);
}

}  // namespace descent::autograd
