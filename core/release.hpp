// Iterative release of shared_ptr chains. A graph of 100,000 ops is a chain of nodes each owning
// the next; freeing it by plain destructor recursion would overflow the stack. Objects released
// while a release is already running are queued and freed by the outermost call, in a loop.
#pragma once

#include <memory>

namespace descent::detail {

void release_iteratively(std::shared_ptr<void> ptr) noexcept;

}  // namespace descent::detail
