// The thread's backward observer: a pointer to the innermost guard's function.
#include "descent/autograd/backward_observer.hpp"

namespace descent::autograd {

namespace {
thread_local const BackwardObserver* current = nullptr;
}

BackwardObserverGuard::BackwardObserverGuard(BackwardObserver observer)
    : observer_(std::move(observer)), previous_(current) {
    current = observer_ ? &observer_ : previous_;  // an empty function installs nothing
}

BackwardObserverGuard::~BackwardObserverGuard() { current = previous_; }

namespace detail {
const BackwardObserver* backward_observer() { return current; }
}  // namespace detail

}  // namespace descent::autograd
