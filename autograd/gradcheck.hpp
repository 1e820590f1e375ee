// gradcheck: compares the gradients autograd computes with finite differences, for use in a user's
// own tests (`CHECK(autograd::gradcheck(f, {x, w}))` prints the report on failure).
//
// The output is projected on a fixed random vector v, so one backward gives vᵀJ for every input
// element; each element is then perturbed by ±eps, ±2eps and the fourth-order central difference
// of v·f is compared with it. Like PyTorch, the check runs in float64 by default (floating inputs
// become float64 copies, so f runs in double) with PyTorch's tolerances;
// GradcheckOptions::float32() checks in float32 with looser ones. Keep inputs 2·eps away from kinks
// (relu at 0, max ties).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::autograd {

struct GradcheckOptions {
    double eps = 1e-6;   // finite-difference step (PyTorch's defaults, for float64)
    double atol = 1e-5;  // an element passes if |analytic - numeric| <= atol + rtol * |numeric|
    double rtol = 1e-3;
    uint64_t seed = 0;            // for the projection vector v
    ScalarType dtype = kFloat64;  // floating inputs are converted to it before f runs
    // The float32 check (float32 rounding needs a larger step and looser tolerances).
    static GradcheckOptions float32() {
        GradcheckOptions o;
        o.eps = 1e-2;
        o.atol = 1e-3;
        o.rtol = 1e-2;
        o.dtype = kFloat32;
        return o;
    }
};

struct GradcheckResult {
    bool ok = false;
    std::string report;  // the worst element (input, index, both values, errors), or what failed
    explicit operator bool() const { return ok; }
};
std::ostream& operator<<(std::ostream& os, const GradcheckResult& r);

// f maps the inputs to one tensor. Gradients are checked for the inputs that require grad (at
// least one must); the others are passed as constants. f receives copies: floating inputs in
// options.dtype, others (int64 indices, bool masks) as they are; the inputs are not modified.
using TensorFunction = std::function<Tensor(const std::vector<Tensor>&)>;

GradcheckResult gradcheck(const TensorFunction& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {});

// Second order: gradcheck of x ↦ ∂(v·f)/∂x, where that gradient is computed by backward with
// create_graph. Checks that every backward in f is itself correctly differentiable.
GradcheckResult gradgradcheck(const TensorFunction& f, const std::vector<Tensor>& inputs,
                              const GradcheckOptions& options = {});

}  // namespace descent::autograd
