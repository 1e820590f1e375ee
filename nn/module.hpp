// Module: the base of every layer and model. A module owns named parameters (tensors that
// optimizers update), named buffers (state that is saved but not trained) and named submodules, in
// registration order, as torch::nn::Module. Parameters are Tensor handles, so a layer keeps its own
// `Tensor weight;` member referring to the same tensor it registered.
#pragma once

#include <deque>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/named_tensors.hpp"
#include "descent/core/removable_handle.hpp"
#include "descent/core/tensor.hpp"

namespace descent::nn {

class Module;
using NamedModules = std::vector<std::pair<std::string, std::shared_ptr<Module>>>;

// Called by operator() after forward(), with the input and the output.
using ForwardHook = std::function<void(Module& module, const Tensor& input, const Tensor& output)>;
// Called during backward with grad_input = dL/d(the call's input) and grad_output = dL/d(its
// output); grad_input is undefined when the input does not require grad (module_hooks.cpp).
using BackwardHook =
    std::function<void(Module& module, const Tensor& grad_input, const Tensor& grad_output)>;

namespace detail {
struct ModuleHooks;
}

class Module {
public:
    explicit Module(std::string type_name = "Module");
    virtual ~Module();
    // Move-only: a copy would share every parameter with the original, silently. Moving keeps
    // the hooks, which then report the module at its new address.
    Module(Module&& other) noexcept;
    Module& operator=(Module&& other) noexcept;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    // The default throws StateError naming the module type: a module without one cannot be called.
    virtual Tensor forward(const Tensor& x);
    // Calls forward(), then the forward hooks; summary() observes each call's output shape here.
    Tensor operator()(const Tensor& x);

    // Hooks on this module's calls through operator() (not on a direct forward() call), run in
    // registration order; the handles stay valid if the module is moved. A backward hook fires
    // once per call the backward reaches while the module lives: the hooks of a module destroyed
    // before backward are removed with it, never run on a dangling module. The call's input and
    // output pass through two identity ops, "BackwardHookInput"/"BackwardHookOutput", that the
    // tape shows (PyTorch's BackwardHookFunction); grad_input is the gradient reaching the input
    // through this call only. torch::nn::Module::register_forward_hook /
    // register_full_backward_hook, simplified to one input and one output.
    RemovableHandle register_forward_hook(ForwardHook hook);
    RemovableHandle register_full_backward_hook(BackwardHook hook);

    // `t` must be a leaf; its requires_grad is set as asked. Returns the stored handle, e.g.
    // `weight = register_parameter("weight", randn({3, 4}));`. Names are unique among this
    // module's parameters, buffers and children, non-empty and without '.'.
    Tensor& register_parameter(std::string name, Tensor t, bool requires_grad = true);
    Tensor& register_buffer(std::string name, Tensor t);
    template <class M>
    std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> m) {
        static_assert(std::is_base_of_v<Module, M>, "register_module(): M must derive from Module");
        check_new_name(name, "register_module");
        DESCENT_CHECK(m != nullptr, ValueError, "register_module(): module \"", name, "\" of ",
                      type_name_, " is null");
        children_.emplace_back(std::move(name), m);
        return m;
    }

    // Insertion order, this module's own first, then each child's (depth first). A tensor
    // registered under two names (weight tying) is listed once, under its first name.
    std::vector<Tensor> parameters(bool recurse = true) const;
    NamedTensors named_parameters(bool recurse = true) const;  // dotted: "fc1.weight", "0.bias"
    NamedTensors named_buffers(bool recurse = true) const;
    const NamedModules& named_children() const { return children_; }
    // Every descendant, depth first, with dotted names ("fc1", "block.0"); the module itself is
    // not listed (torch's include_self = false), so it need not be owned by a shared_ptr.
    NamedModules named_modules() const;

    // Per module, as PyTorch: its parameters, then its buffers, then each child's entries. The
    // tensors are detached handles sharing the module's storage.
    NamedTensors state_dict() const;
    // Copies every entry into the existing tensor of that name (the tensors stay the same objects,
    // so an optimizer holding them keeps working). Everything is checked before anything is
    // copied: an unexpected or (strict) missing key is a ValueError naming it, a shape mismatch a
    // ShapeError naming the key and both shapes. Each tensor keeps its dtype: a stored one of
    // another dtype is converted if that keeps its meaning (floating into floating; into an integer
    // or bool tensor only values it holds exactly, e.g. a float32 count an older descent saved),
    // otherwise a TypeError (integers into a floating tensor) or ValueError (2.5 into int64)
    // naming the key and both dtypes.
    void load_state_dict(const NamedTensors& state, bool strict = true);

    void train(bool on = true);  // this module and every descendant
    void eval() { train(false); }
    bool is_training() const { return training_; }

    // Converts every floating parameter and buffer, and any gradient, to `dtype` in place, as
    // torch::nn::Module::to(dtype): the tensors stay the same objects, so the module's own
    // handles see the new dtype (make the optimizer afterwards). Integer buffers are kept.
    void to(ScalarType dtype);

    // Drops (set_to_none) or zeroes every parameter's gradient.
    void zero_grad(bool set_to_none = true);

    const std::string& type_name() const { return type_name_; }
    // One line describing this module: "Linear(in_features=784, out_features=256, bias=true)".
    // The default prints the type name, with "()" when the module has no children.
    virtual void pretty_print(std::ostream& os) const;

private:
    void check_new_name(const std::string& name, const char* op) const;
    void collect(NamedTensors& out, const std::string& prefix, bool params, bool recurse,
                 std::vector<const TensorImpl*>& seen) const;
    void collect_state(NamedTensors& out, const std::string& prefix) const;
    Tensor call_with_hooks(const Tensor& x);

    std::string type_name_;
    bool training_ = true;
    // deques: the references register_parameter returns stay valid as more are registered
    std::deque<std::pair<std::string, Tensor>> parameters_;
    std::deque<std::pair<std::string, Tensor>> buffers_;
    NamedModules children_;
    std::shared_ptr<detail::ModuleHooks> hooks_;  // made by the first register_*_hook
};

// The nested form PyTorch prints for print(model):
//   Sequential(
//     (0): Linear(in_features=784, out_features=256, bias=true)
//     (1): ReLU()
//   )
std::ostream& operator<<(std::ostream& os, const Module& m);

namespace detail {
// What summary() installs to see every module call: called by Module::operator() after forward.
struct ForwardObserver {
    virtual ~ForwardObserver() = default;
    virtual void called(const Module& m, const Tensor& output) = 0;
};
// The observer of this thread, null when none: the one branch operator() pays per call.
ForwardObserver*& forward_observer();
}  // namespace detail

}  // namespace descent::nn
