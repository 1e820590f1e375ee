// SavedTensor: one tensor a node keeps for its backward (Node::save_for_backward), stamped with
// the storage version at save time. If the tensor is then modified in place, unpack() throws
// instead of returning wrong gradients.
//
// An op's own output (relu, exp, softmax save it) is kept without its grad_fn, since the node would
// otherwise own itself through it. Under create_graph, unpack() hands it back with grad_fn = the
// node, so the backward is recorded as depending on the output, as it mathematically does.
#pragma once

#include <cstdint>

#include "descent/core/tensor.hpp"

namespace descent::autograd {

class Node;

class SavedTensor {
public:
    SavedTensor() = default;
    // An undefined `tensor` makes an empty slot, never unpacked.
    SavedTensor(const Tensor& tensor, bool is_output);

    // The saved tensor; `owner` is the node that saved it. Throws StateError if it was modified in
    // place since it was saved.
    Tensor unpack(Node& owner) const;

private:
    Tensor tensor_;
    uint64_t version_ = 0;
    bool is_output_ = false;
};

}  // namespace descent::autograd
