// Tensor::register_hook: a leaf keeps its hooks itself (its AccumulateGrad node is created per
// graph and may die with it); a non-leaf's go on its grad_fn, which the graph keeps alive even
// after the user drops the tensor, as PyTorch does.
#include <atomic>

#include "descent/autograd/node.hpp"
#include "descent/core/error.hpp"

namespace descent {

namespace {

std::atomic<uint64_t> next_hook_id{1};

using HookList = std::vector<std::pair<uint64_t, GradHook>>;

void erase_hook(HookList& hooks, uint64_t id) {
    for (auto it = hooks.begin(); it != hooks.end(); ++it)
        if (it->first == id) {
            hooks.erase(it);
            return;
        }
}

// A handle that erases hook `id` from owner->grad_hooks (a TensorImpl's or a Node's), if the
// owner still exists.
template <class Owner>
RemovableHandle handle_for(const std::shared_ptr<Owner>& owner, uint64_t id) {
    return RemovableHandle([weak = std::weak_ptr<Owner>(owner), id] {
        if (auto o = weak.lock()) erase_hook(o->grad_hooks, id);
    });
}

}  // namespace

RemovableHandle Tensor::register_hook(GradHook hook) const {
    DESCENT_CHECK(defined(), ValueError, "register_hook(): undefined tensor");
    DESCENT_CHECK(requires_grad(), StateError, "register_hook(): a tensor of shape ", shape(),
                  " that does not require grad has no gradient to hook");
    DESCENT_CHECK(static_cast<bool>(hook), ValueError, "register_hook(): the hook is empty");
    const uint64_t id = next_hook_id++;
    if (is_leaf()) {
        impl_->grad_hooks.emplace_back(id, std::move(hook));
        return handle_for(impl_, id);
    }
    grad_fn()->grad_hooks.emplace_back(id, std::move(hook));
    return handle_for(grad_fn(), id);
}

}  // namespace descent
