// AccumulateGrad: the node at a leaf that requires grad. It adds the gradient that reaches the leaf
// into leaf.grad(): gradients accumulate across backward calls until zeroed.
#pragma once

#include "descent/autograd/node.hpp"

namespace descent::autograd {

class AccumulateGrad final : public Node {
public:
    explicit AccumulateGrad(std::shared_ptr<TensorImpl> leaf) : leaf_(std::move(leaf)) {}
    const char* name() const override { return "AccumulateGrad"; }
    std::vector<Tensor> apply(Tensor grad) override;
    void release() override {
    }  // owns no saved tensors; later graphs still reach the leaf through it

    std::vector<std::pair<uint64_t, GradHook>>& tensor_hooks() override {
        return leaf_->grad_hooks;
    }

    // The leaf's AccumulateGrad, created on first use and shared by every later use.
    static std::shared_ptr<Node> of(const Tensor& leaf);

private:
    std::shared_ptr<TensorImpl> leaf_;
};

// True when nothing else holds t or its storage, so it may be reused in place.
bool uniquely_owned(const Tensor& t);
// acc += g in place (acc contiguous, both float32 or both float64; g of any layout): how the
// engine and AccumulateGrad add gradients when no graph is recorded.
void add_into(Tensor& acc, const Tensor& g);

}  // namespace descent::autograd
