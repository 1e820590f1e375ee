// SavedTensor: saves a tensor with its storage version; unpack() refuses one modified in place.
#include "descent/autograd/saved_tensor.hpp"

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/node.hpp"
#include "descent/core/error.hpp"

namespace descent::autograd {

SavedTensor::SavedTensor(const Tensor& tensor, bool is_output)
    : tensor_(is_output ? alias(tensor) : tensor),
      version_(tensor.defined() ? tensor.version() : 0),
      is_output_(is_output) {}

Tensor SavedTensor::unpack(Node& owner) const {
    DESCENT_ASSERT(tensor_.defined(), "(saved tensor used after release, or a slot left empty)");
    DESCENT_CHECK(tensor_.version() == version_, StateError, "backward(): a tensor of shape ",
                  tensor_.shape(), " that ", owner.name(),
                  " saved for backward was modified in place after it was saved (version ",
                  version_, ", now ", tensor_.version(),
                  "); clone() it before modifying it, or modify it after backward()");
    if (!is_output_ || !GradMode::is_enabled()) return tensor_;
    // create_graph: the output again, as produced by `owner`.
    Tensor out = alias(tensor_);
    out.impl()->requires_grad = true;
    out.impl()->grad_fn = owner.shared_from_this();
    return out;
}

}  // namespace descent::autograd
