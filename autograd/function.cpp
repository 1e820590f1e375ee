// Custom ops: the node that runs a user-written backward for an output computed by any means.
#include "descent/autograd/function.hpp"

#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"

namespace descent::autograd {

struct CustomBackward final : Node {
    std::string label;
    BackwardFn fn;
    bool once = false;
    const char* name() const override { return label.c_str(); }
    bool once_differentiable() const override { return once; }
    std::vector<Tensor> apply(Tensor g) override;
    void release_saved() override { fn = nullptr; }  // frees whatever the lambda captured
};

Tensor custom_op(std::string name, const std::vector<Tensor>& inputs, const Tensor& output,
                 BackwardFn backward, bool once_differentiable) {
    DESCENT_CHECK(output.defined(), ValueError, "custom_op(): ", name, ": output is undefined");
    DESCENT_CHECK(static_cast<bool>(backward), ValueError, "custom_op(): ", name,
                  ": backward is empty");
    Tensor out = make_view(output, 0, output.shape());  // same values, a graph of its own
    if (auto node = detail::record_list<CustomBackward>(out, inputs)) {
        node->label = std::move(name);
        node->fn = std::move(backward);
        node->once = once_differentiable;
    }
    return out;
}

// out = f(inputs):  dL/d input_i = fn(g)[i], the user's backward (the engine checks the count and
// shapes of what it returns)
std::vector<Tensor> CustomBackward::apply(Tensor g) {
    std::vector<Tensor> grads = fn(g);
    DESCENT_CHECK(grads.size() == next_edges().size(), ValueError, "custom_op(): backward of ",
                  label, " returned ", grads.size(), " gradients for ", next_edges().size(),
                  " inputs");
    for (size_t i = 0; i < grads.size(); ++i)
        DESCENT_CHECK(!grads[i].defined() || grads[i].shape() == input_shape(i), ShapeError,
                      "custom_op(): backward of ", label, " returned a gradient of shape ",
                      grads[i].shape(), " for input ", i, " of shape ", input_shape(i));
    return grads;
}

}  // namespace descent::autograd
