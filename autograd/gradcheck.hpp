// gradcheck: compares the gradients autograd computes with finite differences, for use in a user's
// own tests (`CHECK(autograd::gradcheck(f, {x, w}))` prints the report on failure).
//
// The output is projected on a fixed random vector v, so one backward gives vᵀJ for every input
// element; each element is then perturbed by ±eps, ±2eps and the fourth-order central difference
// of v·f is compared with it. Tensors are float32, so tolerances are looser than PyTorch's (which
// checks in float64): keep inputs at least 2·eps away from kinks (relu at 0, abs at 0, max ties).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::autograd {

struct GradcheckOptions {
    double eps = 1e-2;   // finite-difference step
    double atol = 1e-3;  // an element passes if |analytic - numeric| <= atol + rtol * |numeric|
    double rtol = 1e-2;
    uint64_t seed = 0;  // for the projection vector v
};

struct GradcheckResult {
    bool ok = false;
    std::string report;  // the worst element (input, index, both values, errors), or what failed
    explicit operator bool() const { return ok; }
};
std::ostream& operator<<(std::ostream& os, const GradcheckResult& r);

// f maps the inputs to one tensor. Gradients are checked for the inputs that require grad (at
// least one must); the others are passed as constants. The inputs themselves are not modified.
using TensorFunction = std::function<Tensor(const std::vector<Tensor>&)>;

GradcheckResult gradcheck(const TensorFunction& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

// Second order: gradcheck of x ↦ ∂(v·f)/∂x, where that gradient is computed by backward with
// create_graph. Checks that every backward in f is itself correctly differentiable.
GradcheckResult gradgradcheck(const TensorFunction& f, const std::vector<Tensor>& inputs,
                              const GradcheckOptions& options = {});

}  // namespace descent::autograd
