// Module's registration, traversal, state dicts and printing.
#include "descent/nn/module.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>
#include <unordered_map>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/kernels/copy.hpp"
#include "descent/core/storage.hpp"

namespace descent::nn {

namespace {

// load_state_dict's rule for a stored tensor whose dtype is not the model's (PyTorch's copy_
// converts anything; descent only what keeps its meaning): a floating tensor takes floating
// values (float64 into float32 rounds, as copy_), never integers or bools; an integer or bool
// tensor takes any dtype whose every value it holds exactly (num_batches_tracked that an older
// descent saved as float32). Throws naming the key, both dtypes and the first value that fails.
void check_conversion(const Tensor& src, const Tensor& dst, const std::string& who,
                      const std::string& name) {
    const ScalarType from = src.dtype(), to = dst.dtype();
    if (from == to) return;
    if (is_floating_point(to)) {
        DESCENT_CHECK(is_floating_point(from), TypeError, who, ": key \"", name, "\" is ", from,
                      " in the state dict but ", to,
                      " in the model (a floating tensor loads only floating values)");
        return;
    }
    const Tensor d = ::descent::detail::dense(src);
    visit_dtype(from, [&](auto tag) {
        using S = decltype(tag);
        const S* p = d.data<S>();
        for (int64_t i = 0; i < d.numel(); ++i) {
            const double v = static_cast<double>(p[i]);
            const bool exact = to == kBool    ? (v == 0 || v == 1)
                               : to == kUInt8 ? (v == std::floor(v) && v >= 0 && v <= 255)
                                              : (v == std::floor(v) && v >= -0x1p63 && v < 0x1p63);
            DESCENT_CHECK(exact, ValueError, who, ": key \"", name, "\" holds ", v, " (", from,
                          ") at element ", i, " in the state dict, which the model's ", to,
                          " tensor cannot hold exactly");
        }
    });
}

// dst = src converted to dst's dtype, in dst's layout (shapes equal).
void copy_converted(Tensor dst, const Tensor& src) {
    if (dst.dtype() == kFloat32 && src.dtype() == kFloat32) {
        dst.copy_(src);  // the float32 path as it always was
        return;
    }
    // A source sharing dst's memory in another layout is read from a copy first.
    const Tensor from = src.impl()->storage == dst.impl()->storage ? src.clone() : src;
    kernels::convert(from.dtype(), from.impl()->first_raw(), from.strides(), dst.dtype(),
                     dst.impl()->first_raw(), dst.strides(), dst.shape());
    dst.impl()->storage->bump_version();  // as copy_: a tensor saved for backward is now stale
}

}  // namespace

Module::Module(std::string type_name) : type_name_(std::move(type_name)) {}

Tensor Module::forward(const Tensor&) {
    throw StateError(::descent::detail::cat(type_name_,
                                            ": forward() is not implemented; a module is called ",
                                            "through the forward(x) it overrides"));
}

Tensor Module::operator()(const Tensor& x) {
    Tensor y = hooks_ ? call_with_hooks(x) : forward(x);
    if (detail::ForwardObserver* observer = detail::forward_observer()) observer->called(*this, y);
    return y;
}

void Module::check_new_name(const std::string& name, const char* op) const {
    DESCENT_CHECK(!name.empty() && name.find('.') == std::string::npos, ValueError, op,
                  "(): ", type_name_, ": name \"", name, "\" must be non-empty and contain no '.'");
    auto taken = [&name](const auto& list) {
        return std::any_of(list.begin(), list.end(),
                           [&](const auto& e) { return e.first == name; });
    };
    DESCENT_CHECK(!taken(parameters_) && !taken(buffers_) && !taken(children_), ValueError, op,
                  "(): ", type_name_, " already has a parameter, buffer or submodule named \"",
                  name, "\"");
}

Tensor& Module::register_parameter(std::string name, Tensor t, bool requires_grad) {
    check_new_name(name, "register_parameter");
    DESCENT_CHECK(t.defined(), ValueError, "register_parameter(): ", type_name_, ": parameter \"",
                  name, "\" is an undefined tensor");
    DESCENT_CHECK(t.is_leaf(), ValueError, "register_parameter(): ", type_name_, ": parameter \"",
                  name, "\" of shape ", t.shape(),
                  " is the result of an op, not a leaf; register t.detach()");
    t.requires_grad_(requires_grad);
    parameters_.emplace_back(std::move(name), std::move(t));
    return parameters_.back().second;
}

Tensor& Module::register_buffer(std::string name, Tensor t) {
    check_new_name(name, "register_buffer");
    DESCENT_CHECK(t.defined(), ValueError, "register_buffer(): ", type_name_, ": buffer \"", name,
                  "\" is an undefined tensor");
    buffers_.emplace_back(std::move(name), std::move(t));
    return buffers_.back().second;
}

void Module::collect(NamedTensors& out, const std::string& prefix, bool params, bool recurse,
                     std::vector<const TensorImpl*>& seen) const {
    for (const auto& [name, t] : params ? parameters_ : buffers_) {
        if (std::find(seen.begin(), seen.end(), t.impl()) != seen.end()) continue;
        seen.push_back(t.impl());
        out.emplace_back(prefix + name, t);
    }
    if (!recurse) return;
    for (const auto& [name, child] : children_)
        child->collect(out, prefix + name + ".", params, true, seen);
}

NamedTensors Module::named_parameters(bool recurse) const {
    NamedTensors out;
    std::vector<const TensorImpl*> seen;
    collect(out, "", true, recurse, seen);
    return out;
}

NamedTensors Module::named_buffers(bool recurse) const {
    NamedTensors out;
    std::vector<const TensorImpl*> seen;
    collect(out, "", false, recurse, seen);
    return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
    std::vector<Tensor> out;
    for (auto& entry : named_parameters(recurse)) out.push_back(std::move(entry.second));
    return out;
}

void Module::collect_state(NamedTensors& out, const std::string& prefix) const {
    for (const auto& [name, t] : parameters_) out.emplace_back(prefix + name, t);
    for (const auto& [name, t] : buffers_) out.emplace_back(prefix + name, t);
    for (const auto& [name, child] : children_) child->collect_state(out, prefix + name + ".");
}

NamedTensors Module::state_dict() const {
    NamedTensors out;
    collect_state(out, "");
    for (auto& entry : out) entry.second = entry.second.detach();
    return out;
}

void Module::load_state_dict(const NamedTensors& state, bool strict) {
    NamedTensors own;
    collect_state(own, "");
    std::unordered_map<std::string, const Tensor*> target;
    for (const auto& [name, t] : own) target.emplace(name, &t);
    std::unordered_map<std::string, const Tensor*> given;
    for (const auto& [name, t] : state) {
        DESCENT_CHECK(given.emplace(name, &t).second, ValueError, "load_state_dict(): ", type_name_,
                      ": key \"", name, "\" appears twice in the state dict");
        auto it = target.find(name);
        DESCENT_CHECK(it != target.end() || !strict, ValueError, "load_state_dict(): ", type_name_,
                      ": unexpected key \"", name, "\" in the state dict");
        if (it == target.end()) continue;
        DESCENT_CHECK(t.defined(), ValueError, "load_state_dict(): ", type_name_, ": key \"", name,
                      "\" holds an undefined tensor");
        DESCENT_CHECK(t.shape() == it->second->shape(), ShapeError,
                      "load_state_dict(): ", type_name_, ": key \"", name, "\" has shape ",
                      t.shape(), " in the state dict but ", it->second->shape(), " in the model");
        check_conversion(t, *it->second, "load_state_dict(): " + type_name_, name);
    }
    if (strict)
        for (const auto& [name, t] : own)
            DESCENT_CHECK(given.count(name), ValueError, "load_state_dict(): ", type_name_,
                          ": missing key \"", name, "\" (shape ", t.shape(), ") in the state dict");
    NoGradGuard no_grad;
    for (auto& [name, t] : own) {
        auto it = given.find(name);
        if (it == given.end()) continue;
        if (!t.is_same(*it->second)) copy_converted(t, *it->second);
    }
}

void Module::train(bool on) {
    training_ = on;
    for (auto& [name, child] : children_) child->train(on);
}

void Module::to(ScalarType dtype) {
    DESCENT_CHECK(is_floating_point(dtype), TypeError, type_name_,
                  ".to(): expected a floating dtype, got ", dtype);
    NoGradGuard no_grad;
    std::vector<Tensor> tensors = parameters();
    for (auto& [name, b] : named_buffers()) tensors.push_back(b);
    for (Tensor& t : tensors) {
        if (!t.is_floating_point() || t.dtype() == dtype) continue;
        // Repoint the shared TensorImpl at a converted copy, so every handle to it follows.
        TensorImpl& impl = *t.impl();
        const Tensor c = descent::detail::converted(t, dtype);
        if (impl.grad.defined()) impl.grad = descent::detail::converted(impl.grad, dtype);
        impl.storage = c.impl()->storage;
        impl.offset = 0;
        impl.strides = c.impl()->strides;
        impl.contiguous = true;
        impl.dtype = dtype;
    }
}

void Module::zero_grad(bool set_to_none) {
    NoGradGuard no_grad;
    for (Tensor& p : parameters()) {
        if (!p.grad().defined()) continue;
        if (set_to_none) {
            p.mutable_grad() = Tensor();
        } else {
            p.mutable_grad() = p.grad().detach();  // a grad made under create_graph has a graph
            p.mutable_grad().zero_();
        }
    }
}

void Module::pretty_print(std::ostream& os) const {
    os << type_name_ << (children_.empty() ? "()" : "");
}

namespace {

void print_nested(std::ostream& os, const Module& m, const std::string& indent) {
    m.pretty_print(os);
    if (m.named_children().empty()) return;
    os << "(\n";
    for (const auto& [name, child] : m.named_children()) {
        os << indent << "  (" << name << "): ";
        print_nested(os, *child, indent + "  ");
        os << "\n";
    }
    os << indent << ")";
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Module& m) {
    print_nested(os, m, "");
    return os;
}

namespace detail {
ForwardObserver*& forward_observer() {
    thread_local ForwardObserver* observer = nullptr;
    return observer;
}
}  // namespace detail

}  // namespace descent::nn
