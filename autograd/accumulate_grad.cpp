// AccumulateGrad: finds or creates a leaf's node, and adds the gradient that reaches the leaf into
// its .grad().
#include "descent/autograd/accumulate_grad.hpp"

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/core/kernels/elementwise.hpp"

namespace descent::autograd {

bool uniquely_owned(const Tensor& t) {
    return t.impl_ptr().use_count() == 1 && t.impl()->storage.use_count() == 1;
}

std::shared_ptr<Node> AccumulateGrad::of(const Tensor& leaf) {
    TensorImpl& impl = *leaf.impl();
    std::shared_ptr<Node> node = impl.grad_accumulator.lock();
    if (!node) {
        node = std::make_shared<AccumulateGrad>(leaf.impl_ptr());
        node->connect({}, impl.shape);
        impl.grad_accumulator = node;
    }
    return node;
}

// leaf (no inputs):  leaf.grad += g   (the first gradient is taken as it is)
std::vector<Tensor> AccumulateGrad::apply(Tensor grad) {
    Tensor& acc = leaf_->grad;
    if (GradMode::is_enabled()) {
        // create_graph: keep the gradient's own graph, so it can be differentiated again.
        acc = acc.defined() ? add(acc, grad) : grad;
    } else if (!acc.defined()) {
        // Take the buffer if nobody else can see it (the usual case); otherwise copy it.
        acc = uniquely_owned(grad) ? std::move(grad) : grad.detach().clone();
    } else {
        kernels::axpy(1.0f, grad.data(), grad.numel(), acc.data());  // acc += grad, in place
        acc.impl()->storage->bump_version();
    }
    return {};
}

}  // namespace descent::autograd
