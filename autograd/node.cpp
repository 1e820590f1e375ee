// Node: connecting a node to its inputs, releasing its saved state, and freeing long chains
// without recursion.
#include "descent/autograd/node.hpp"

#include "descent/core/release.hpp"

namespace descent::autograd {

Node::~Node() {
    // The edges are the next links of a possibly 100,000-long chain: no recursive destruction.
    for (Edge& e : next_edges_) descent::detail::release_iteratively(std::move(e.fn));
}

void Node::release() {
    release_saved();
    released_ = true;
}

void Node::connect(std::vector<Edge> edges, Shape output_shape) {
    next_edges_ = std::move(edges);
    output_shape_ = std::move(output_shape);
}

}  // namespace descent::autograd
