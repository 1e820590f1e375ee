// Module forward and backward hooks, and named_modules() to find a module by name. A backward hook
// needs the gradients at both ends of one call, so the call's input and output each pass through
// an identity op; the output's records dL/d(output), the input's fires the hooks with dL/d(input).
#include <atomic>

#include "descent/autograd/function.hpp"
#include "descent/autograd/grad_mode.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

namespace detail {
// Shared by the module and by the backward calls still pending on it. `owner` follows the module
// when it moves and is null once it is destroyed: a later backward then runs none of its hooks.
struct ModuleHooks {
    Module* owner = nullptr;
    std::vector<std::pair<uint64_t, ForwardHook>> forward;
    std::vector<std::pair<uint64_t, BackwardHook>> backward;
};
}  // namespace detail

Module::Module(Module&& other) noexcept
    : type_name_(std::move(other.type_name_)),
      training_(other.training_),
      parameters_(std::move(other.parameters_)),
      buffers_(std::move(other.buffers_)),
      children_(std::move(other.children_)),
      hooks_(std::move(other.hooks_)) {
    if (hooks_) hooks_->owner = this;
}

Module& Module::operator=(Module&& other) noexcept {
    if (this == &other) return *this;
    if (hooks_) hooks_->owner = nullptr;  // this module's old hooks go with its old self
    type_name_ = std::move(other.type_name_);
    training_ = other.training_;
    parameters_ = std::move(other.parameters_);
    buffers_ = std::move(other.buffers_);
    children_ = std::move(other.children_);
    hooks_ = std::move(other.hooks_);
    if (hooks_) hooks_->owner = this;
    return *this;
}

Module::~Module() {
    if (hooks_) hooks_->owner = nullptr;
}

namespace {

std::atomic<uint64_t> next_id{1};

template <class Hook>
void erase_id(std::vector<std::pair<uint64_t, Hook>>& hooks, uint64_t id) {
    for (auto it = hooks.begin(); it != hooks.end(); ++it)
        if (it->first == id) {
            hooks.erase(it);
            return;
        }
}

// The hooks of one call, shared by its two identity ops: a copy, so that hooks registered or
// removed after the forward do not change what this call's backward runs. The module is reached
// through its shared ModuleHooks, so a module destroyed since the forward is never touched.
struct BackwardCall {
    std::shared_ptr<detail::ModuleHooks> module_hooks;
    std::vector<std::pair<uint64_t, BackwardHook>> hooks;
    Tensor grad_output;
    void fire(const Tensor& grad_input) {
        Module* module = module_hooks->owner;
        if (!module) return;  // destroyed before this backward: its hooks went with it
        for (const auto& [id, hook] : hooks) hook(*module, grad_input, grad_output);
    }
};

}  // namespace

RemovableHandle Module::register_forward_hook(ForwardHook hook) {
    DESCENT_CHECK(static_cast<bool>(hook), ValueError, "register_forward_hook(): ", type_name_,
                  ": the hook is empty");
    if (!hooks_) hooks_ = std::make_shared<detail::ModuleHooks>(detail::ModuleHooks{this, {}, {}});
    const uint64_t id = next_id++;
    hooks_->forward.emplace_back(id, std::move(hook));
    return RemovableHandle([weak = std::weak_ptr<detail::ModuleHooks>(hooks_), id] {
        if (auto h = weak.lock()) erase_id(h->forward, id);
    });
}

RemovableHandle Module::register_full_backward_hook(BackwardHook hook) {
    DESCENT_CHECK(static_cast<bool>(hook), ValueError,
                  "register_full_backward_hook(): ", type_name_, ": the hook is empty");
    if (!hooks_) hooks_ = std::make_shared<detail::ModuleHooks>(detail::ModuleHooks{this, {}, {}});
    const uint64_t id = next_id++;
    hooks_->backward.emplace_back(id, std::move(hook));
    return RemovableHandle([weak = std::weak_ptr<detail::ModuleHooks>(hooks_), id] {
        if (auto h = weak.lock()) erase_id(h->backward, id);
    });
}

Tensor Module::call_with_hooks(const Tensor& x) {
    const bool on_backward = !hooks_->backward.empty() && autograd::GradMode::is_enabled();
    std::shared_ptr<BackwardCall> call;
    Tensor input = x;
    if (on_backward) {
        call = std::make_shared<BackwardCall>(BackwardCall{hooks_, hooks_->backward, Tensor()});
        if (x.requires_grad())
            input = autograd::custom_op("BackwardHookInput", {x}, x, [call](const Tensor& g) {
                call->fire(g);
                return std::vector<Tensor>{g};
            });
    }
    Tensor y = forward(input);
    const auto forward_hooks = hooks_->forward;  // a copy: a hook may remove itself
    for (const auto& [id, hook] : forward_hooks) hook(*this, x, y);
    if (!call || !y.requires_grad()) return y;
    const bool input_fires = x.requires_grad();
    return autograd::custom_op("BackwardHookOutput", {y}, y, [call, input_fires](const Tensor& g) {
        call->grad_output = g;
        if (!input_fires) call->fire(Tensor());  // no gradient will reach the input
        return std::vector<Tensor>{g};
    });
}

namespace {
void collect_modules(const Module& m, const std::string& prefix, NamedModules& out) {
    for (const auto& [name, child] : m.named_children()) {
        const std::string full = prefix.empty() ? name : prefix + "." + name;
        out.emplace_back(full, child);
        collect_modules(*child, full, out);
    }
}
}  // namespace

NamedModules Module::named_modules() const {
    NamedModules out;
    collect_modules(*this, "", out);
    return out;
}

}  // namespace descent::nn
