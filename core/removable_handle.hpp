// RemovableHandle: what registering a hook returns. remove() takes the hook out again; calling it
// twice, or after the hooked tensor or module is gone, does nothing (torch's RemovableHandle).
#pragma once

#include <functional>
#include <utility>

namespace descent {

class RemovableHandle {
public:
    RemovableHandle() = default;  // removes nothing
    explicit RemovableHandle(std::function<void()> remover) : remover_(std::move(remover)) {}

    void remove() {
        if (remover_) std::exchange(remover_, nullptr)();
    }
    bool active() const { return static_cast<bool>(remover_); }

private:
    std::function<void()> remover_;
};

}  // namespace descent
