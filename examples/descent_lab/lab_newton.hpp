// Lab "newton": Newton's method from Hessian-vector products that descent's autograd computes by
// double backward (the gradient of g(x)·v, with g built under create_graph), against gradient
// descent, on an ill-conditioned quadratic and on L2-regularised logistic regression.
#pragma once

#include <cstdint>

#include "lab.hpp"

namespace lab {

struct NewtonOptions {
    int n = 10;              // dimension of the quadratic
    double cond = 100;       // condition number of its A (eigenvalues log-spaced in [1, cond])
    double tol = 1e-5;       // stop when |g| <= tol * |g at the start| (float32: see the lab)
    int64_t max_steps = 20000;  // cap on gradient-descent steps
    int samples = 1000, features = 20;  // the logistic regression (quick: 200 x 8)
    uint64_t seed = 1;
    bool quick = false;
};

// How one method went on one problem.
struct NewtonRun {
    int64_t steps = 0;      // outer steps taken (Newton steps, or GD steps)
    bool converged = false; // reached |g| <= tol |g0| within the cap
    int64_t grads = 0;      // gradient evaluations
    int64_t hvps = 0;       // Hessian-vector products
    int64_t losses = 0;     // extra loss evaluations (the line search)
    double g0 = 0, g_final = 0;  // gradient norms at the start and the end
};

struct NewtonResult {
    // The quadratic f(x) = ½ xᵀAx − bᵀx.
    NewtonRun quad_newton, quad_gd;
    double quad_g1 = 0;          // |g| after the first Newton-CG step
    double quad_x_error = 0;     // |x_newton − A⁻¹b| / |A⁻¹b|, A⁻¹b by Gaussian elimination
    double hvp_error = 0;        // max |Hvp(v) − Av| / max |Av| over random v
    double full_vs_cg = 0;       // |p_full − p_cg| / |p_cg|: Newton step with the built Hessian
    double hessian_error = 0;    // max |H − A| / max |A|, H built from n Hvps
    // Logistic regression.
    NewtonRun logit_newton, logit_gd;
};

NewtonResult run_newton(const NewtonOptions& options, Output& out);

}  // namespace lab
