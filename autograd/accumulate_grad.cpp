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

void add_into(Tensor& acc, const Tensor& g) {
    const Tensor gd = descent::detail::dense(g);
    if (acc.dtype() == kFloat64)
        kernels::axpy(1.0, gd.data<double>(), g.numel(), acc.data<double>());
    else
        kernels::axpy(1.0f, gd.data(), g.numel(), acc.data());
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
        // A view (an expanded or transposed gradient) is made contiguous: .grad() is read raw.
        acc = acc.defined() ? add(acc, grad) : grad.contiguous();
    } else if (!acc.defined()) {
        // Take the buffer if nobody else can see it (the usual case); otherwise copy it.
        if (uniquely_owned(grad) && grad.is_contiguous())
            acc = std::move(grad);
        else
            acc = grad.is_contiguous() ? grad.detach().clone() : descent::detail::dense(grad);
    } else {
        add_into(acc, grad);  // acc += grad, in place
        acc.impl()->storage->bump_version();
    }
    return {};
}

}  // namespace descent::autograd
