// Watching backward run: an observer installed with BackwardObserverGuard is called once for every
// node backward applies, with the gradient that arrived and the gradients it sent to each input.
// Without one, the engine pays one pointer test per node. The observer of this thread only. All
// the engine knows of the study tools: study/'s tracer and HTML stepper are observers.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "descent/autograd/node.hpp"

namespace descent::autograd {

// One applied node. The references live for the duration of the call.
struct BackwardStep {
    size_t index;                            // the node's position in backward's order (the tape)
    const Node& node;                        // node.name() is the op, e.g. "MulBackward"
    const Tensor& grad_output;               // dL/d(node's output), after any gradient hooks
    const std::vector<Tensor>& grad_inputs;  // dL/d(input i), one per edge; undefined where none
};

using BackwardObserver = std::function<void(const BackwardStep&)>;

// Installs `observer` for this thread until destroyed; restores the previous one (guards nest).
class BackwardObserverGuard {
public:
    explicit BackwardObserverGuard(BackwardObserver observer);
    ~BackwardObserverGuard();
    BackwardObserverGuard(const BackwardObserverGuard&) = delete;
    BackwardObserverGuard& operator=(const BackwardObserverGuard&) = delete;

private:
    BackwardObserver observer_;
    const BackwardObserver* previous_;
};

namespace detail {
// The installed observer, null when none: what the engine tests per node.
const BackwardObserver* backward_observer();
}  // namespace detail

}  // namespace descent::autograd
