// BackwardTracer: a ready-made backward observer that prints each step as backward runs it: the
// node's index in the order and its op, the gradient arriving, and the gradient sent to each input,
// each with its shape and norm, and its values when the tensor is tiny. Optionally pauses for
// Enter.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "descent/autograd/backward_observer.hpp"

namespace descent::study {

struct TraceOptions {
    int64_t max_values = 4;  // print the values of tensors with at most this many elements
    // Wait for Enter on stdin after each step, only when stdin is a terminal (isatty): piped or
    // redirected input, CI and ctest never wait.
    bool step = false;
};

// Traces every backward on this thread while it lives:
//     #2 MulBackward
//         grad in    (2) norm 1.41421 = [1, 1]
//         grad out 0 (2) norm 2.82843 = [2, 2]
//         grad out 1 none                      (input 1 needs no gradient)
class BackwardTracer {
public:
    explicit BackwardTracer(std::ostream& os, TraceOptions options = {});

private:
    autograd::BackwardObserverGuard guard_;
};

// The one-line description the tracer prints for a tensor: "(2, 3) norm 1.5", plus " = [..]" when
// it has at most max_values elements; "none" for an undefined tensor.
std::string describe_gradient(const Tensor& t, int64_t max_values = 4);

}  // namespace descent::study
