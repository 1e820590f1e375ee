// Module: the base of every layer and model. A module owns named parameters (tensors that
// optimizers update), named buffers (state that is saved but not trained) and named submodules, in
// registration order, as torch::nn::Module. Parameters are Tensor handles, so a layer keeps its own
// `Tensor weight;` member referring to the same tensor it registered.
#pragma once

#include <deque>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/named_tensors.hpp"
#include "descent/core/tensor.hpp"

namespace descent::nn {

class Module;
using NamedModules = std::vector<std::pair<std::string, std::shared_ptr<Module>>>;

class Module {
public:
    explicit Module(std::string type_name = "Module");
    virtual ~Module();
    // Move-only: a copy would share every parameter with the original, silently.
    Module(Module&&) = default;
    Module& operator=(Module&&) = default;
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;

    // The default throws StateError naming the module type: a module without one cannot be called.
    virtual Tensor forward(const Tensor& x);
    // Calls forward(); summary() observes each call's output shape through it.
    Tensor operator()(const Tensor& x);

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

    // Per module, as PyTorch: its parameters, then its buffers, then each child's entries. The
    // tensors are detached handles sharing the module's storage.
    NamedTensors state_dict() const;
    // Copies every entry into the existing tensor of that name (the tensors stay the same objects,
    // so an optimizer holding them keeps working). Everything is checked before anything is
    // copied: an unexpected or (strict) missing key is a ValueError naming it, a shape mismatch a
    // ShapeError naming the key and both shapes.
    void load_state_dict(const NamedTensors& state, bool strict = true);

    void train(bool on = true);  // this module and every descendant
    void eval() { train(false); }
    bool is_training() const { return training_; }

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

    std::string type_name_;
    bool training_ = true;
    // deques: the references register_parameter returns stay valid as more are registered
    std::deque<std::pair<std::string, Tensor>> parameters_;
    std::deque<std::pair<std::string, Tensor>> buffers_;
    NamedModules children_;
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
