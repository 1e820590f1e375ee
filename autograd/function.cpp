// Custom ops: the node that runs a Function's backward with its context, and custom_op, itself a
// Function whose backward calls the user's lambda.
#include "descent/autograd/function.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"

namespace descent::autograd {

namespace detail {

struct FunctionNode final : Node {
    AutogradContext ctx;
    BackwardPtr backward = nullptr;
    const char* name() const override { return ctx.name_.c_str(); }
    bool once_differentiable() const override { return ctx.once_; }
    std::vector<Tensor> apply(Tensor g) override;
    // The saved tensors go with Node's; saved_data (a lambda's captures, for custom_op) with them.
    void release() override {
        Node::release();
        ctx.saved_data.clear();
    }
};

// out = f(inputs):  dL/d input_i = backward(ctx, {g})[i], the user's backward (checked here for
// the count and shapes of what it returns)
std::vector<Tensor> FunctionNode::apply(Tensor g) {
    std::vector<Tensor> grads = backward(&ctx, {std::move(g)});
    DESCENT_CHECK(grads.size() == next_edges().size(), ValueError, "backward of ", ctx.name_,
                  " returned ", grads.size(), " gradients for ", next_edges().size(), " inputs");
    for (size_t i = 0; i < grads.size(); ++i)
        DESCENT_CHECK(!grads[i].defined() || grads[i].shape() == input_shape(i), ShapeError,
                      "backward of ", ctx.name_, " returned a gradient of shape ", grads[i].shape(),
                      " for input ", i, " of shape ", input_shape(i));
    return grads;
}

std::string short_type_name(const std::type_info& type) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> full(
        abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), std::free);
    std::string name = status == 0 && full ? full.get() : type.name();
    const size_t colons = name.rfind("::");
    return colons == std::string::npos ? name : name.substr(colons + 2);
}

Tensor finish_function(AutogradContext ctx, const tensor_list& inputs, const Tensor& raw,
                       BackwardPtr backward) {
    DESCENT_CHECK(raw.defined(), ValueError, ctx.name_, ": forward returned an undefined tensor");
    Tensor out = alias(raw);  // same values, a graph of its own
    bool any = false;
    for (const Tensor& t : inputs) any = any || t.requires_grad();
    if (!GradMode::is_enabled() || !any) return out;
    auto node = std::make_shared<FunctionNode>();
    tensor_list to_save = std::move(ctx.to_save_);
    node->ctx = std::move(ctx);
    node->ctx.node_ = node.get();
    node->backward = backward;
    std::vector<Edge> edges;
    edges.reserve(inputs.size());
    for (const Tensor& t : inputs) edges.push_back(edge_to(t));
    attach(node, std::move(edges), out);
    // The output as forward returned it is saved as `out`, which the node produced.
    for (Tensor& t : to_save)
        if (t.defined() && t.is_same(raw)) t = out;
    node->save_for_backward(to_save);
    return out;
}

// custom_op as a Function: forward passes the given output through; backward runs the lambda.
struct CustomOp : Function<CustomOp> {
    static Tensor forward(AutogradContext* ctx, const tensor_list&, const Tensor& output,
                          BackwardFn fn, std::string name, bool once) {
        ctx->saved_data["backward"] = std::move(fn);
        ctx->name_ = std::move(name);
        ctx->once_ = once;
        return output;
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        return std::any_cast<BackwardFn&>(ctx->saved_data.at("backward"))(grads[0]);
    }
};

}  // namespace detail

tensor_list AutogradContext::get_saved_variables() const {
    DESCENT_CHECK(node_ != nullptr, StateError,
                  "get_saved_variables(): only in backward, after forward saved them");
    tensor_list out;
    for (size_t i = 0; i < node_->saved_count(); ++i) out.push_back(node_->saved(i));
    return out;
}

Tensor custom_op(std::string name, const std::vector<Tensor>& inputs, const Tensor& output,
                 BackwardFn backward, bool once_differentiable) {
    DESCENT_CHECK(output.defined(), ValueError, "custom_op(): ", name, ": output is undefined");
    DESCENT_CHECK(static_cast<bool>(backward), ValueError, "custom_op(): ", name,
                  ": backward is empty");
    // The output goes by reference_wrapper: a given value, not an input with an edge.
    return detail::CustomOp::apply(inputs, std::cref(output), std::move(backward), std::move(name),
                                   once_differentiable);
}

}  // namespace descent::autograd
