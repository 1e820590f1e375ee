// release_iteratively: frees long shared_ptr chains (autograd graphs) in a loop, not by recursion.
#include "descent/core/release.hpp"

#include <vector>

namespace descent::detail {

void release_iteratively(std::shared_ptr<void> ptr) noexcept {
    thread_local bool draining = false;
    thread_local std::vector<std::shared_ptr<void>> queue;
    if (!ptr) return;
    if (draining) {
        // An outer call is running: drop our reference later, from its loop, not from this frame.
        queue.push_back(std::move(ptr));
        return;
    }
    draining = true;
    ptr.reset();  // destructors that run here queue what they own instead of recursing
    while (!queue.empty()) {
        std::shared_ptr<void> next = std::move(queue.back());
        queue.pop_back();
        next.reset();
    }
    draining = false;
}

}  // namespace descent::detail
