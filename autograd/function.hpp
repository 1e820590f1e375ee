// Writing your own op, as PyTorch's C++ torch::autograd::Function: a struct deriving from
// Function<Self> with a static forward(ctx, args...) that computes the output and a static
// backward(ctx, grads) that returns one gradient per tensor input; Self::apply(args...) runs
// forward and records the node. custom_op() is the same with the backward given as a lambda.
#pragma once

#include <any>
#include <functional>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/tensor.hpp"

namespace descent::autograd {

class Node;
using tensor_list = std::vector<Tensor>;

class AutogradContext;
using BackwardFn = std::function<tensor_list(const Tensor& grad)>;

namespace detail {
struct FunctionNode;
struct CustomOp;
using BackwardPtr = tensor_list (*)(AutogradContext*, tensor_list);
// The part of Function::apply() after forward: wraps `raw` in an output of its own and, if grad
// mode is on and an input requires grad, records a node running `backward` with `ctx` moved in.
Tensor finish_function(AutogradContext ctx, const tensor_list& inputs, const Tensor& raw,
                       BackwardPtr backward);
}  // namespace detail

// What forward hands to backward. torch::autograd::AutogradContext.
class AutogradContext {
public:
    // In forward: keeps tensors (inputs, or the output forward returns) for backward. Each is
    // stamped with its version: one modified in place before backward makes backward throw.
    void save_for_backward(tensor_list tensors) { to_save_ = std::move(tensors); }
    // In backward: the tensors saved by forward, in order, released after backward runs.
    tensor_list get_saved_variables() const;
    // Whether tensor input i (in apply()'s order) needs a gradient; valid in forward and backward.
    bool needs_input_grad(size_t i) const { return i < needs_grad_.size() && needs_grad_[i]; }
    // Non-tensor values for backward: `ctx->saved_data["dim"] = dim;` in forward,
    // `std::any_cast<int64_t>(ctx->saved_data["dim"])` in backward. Freed after backward too.
    std::unordered_map<std::string, std::any> saved_data;

private:
    template <class>
    friend struct Function;
    friend struct detail::FunctionNode;
    friend struct detail::CustomOp;
    friend Tensor detail::finish_function(AutogradContext, const tensor_list&, const Tensor&,
                                          detail::BackwardPtr);
    tensor_list to_save_;
    std::vector<bool> needs_grad_;
    Node* node_ = nullptr;  // the recorded node, once forward has run
    std::string name_;      // the node's name: "<Self>Backward" unless set by custom_op
    bool once_ = false;     // Self::once_differentiable
};

namespace detail {

// The tensors among apply()'s arguments, in order; a tensor_list contributes each element.
inline void collect(tensor_list& out, const Tensor& t) { out.push_back(t); }
inline void collect(tensor_list& out, const tensor_list& ts) {
    out.insert(out.end(), ts.begin(), ts.end());
}
template <class T>
void collect(tensor_list&, const T&) {}

// "Cube" for a struct Cube in any namespace.
std::string short_type_name(const std::type_info& type);

}  // namespace detail

// Derive as `struct Cube : Function<Cube>` and define
//   static Tensor forward(AutogradContext* ctx, <any arguments>);     // runs without recording
//   static tensor_list backward(AutogradContext* ctx, tensor_list grads);  // grads = {dL/dout}
// backward returns one gradient per tensor argument of forward (a tensor_list argument counts
// each element), undefined for one needing none. Written with descent's ops it is itself recorded
// under create_graph, so the op is twice differentiable; otherwise declare
// `static constexpr bool once_differentiable = true;` and create_graph through it throws.
template <class Self>
struct Function {
    static constexpr bool once_differentiable = false;

    template <class... Args>
    static Tensor apply(Args&&... args) {
        tensor_list inputs;
        (detail::collect(inputs, args), ...);
        AutogradContext ctx;
        ctx.needs_grad_.reserve(inputs.size());
        for (const Tensor& t : inputs)
            ctx.needs_grad_.push_back(GradMode::is_enabled() && t.defined() && t.requires_grad());
        ctx.name_ = detail::short_type_name(typeid(Self)) + "Backward";
        ctx.once_ = Self::once_differentiable;
        Tensor raw;
        {
            NoGradGuard no_grad;  // the forward's own ops are not recorded
            raw = Self::forward(&ctx, std::forward<Args>(args)...);
        }
        return detail::finish_function(std::move(ctx), inputs, raw, &Self::backward);
    }
};

// A tensor with `output`'s values whose grad_fn is a node named `name`, connected to `inputs`, that
// runs `backward`. If backward is written with descent's ops, second-order gradients work; if not,
// pass once_differentiable = true and create_graph through it throws instead of being wrong.
//   Tensor y = autograd::custom_op("Cube", {x}, cube_values(x), [x](const Tensor& g) {
//       return std::vector<Tensor>{g * 3.0f * x * x};  // dL/dx = g · 3x²
//   });
Tensor custom_op(std::string name, const std::vector<Tensor>& inputs, const Tensor& output,
                 BackwardFn backward, bool once_differentiable = false);

}  // namespace descent::autograd
