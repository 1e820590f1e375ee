// Lab "optimizers": descent's own optimizers (SGD plain, with momentum and with Nesterov
// momentum, RMSprop, Adam, AdamW and L-BFGS) walking from one start over two 2-D losses, an
// ill-conditioned quadratic and Rosenbrock's banana valley, with their paths and losses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab::optimizers {

// The optimizers, in the order of every table and picture.
enum Kind { gd, momentum, nesterov, rmsprop, adam, adamw, lbfgs, kinds };
const char* kind_name(int kind);

struct Options {
    Common common;           // --quick: rosen_steps 300
    int quad_steps = 100;    // steps on the quadratic
    int rosen_steps = 2000;  // steps on Rosenbrock
    // Learning rate of each Kind on each problem. GD, momentum and Nesterov share one: on the
    // quadratic 0.025, where 1 - 50 lr = -0.25 zigzags across the narrow y direction (0.02 = 1/50
    // would land on y = 0 in one step) and Nesterov 0.9 is still stable (it needs
    // 50 lr < 2(1+β)/(1+2β) = 1.36; 0.03 diverges); on Rosenbrock, whose curvature reaches ~2000
    // along the way, 1e-3 (2e-3 sends momentum 0.9 off in a few steps).
    std::vector<double> quad_lr = {0.025, 0.025, 0.025, 0.05, 0.1, 0.1, 1};
    std::vector<double> rosen_lr = {1e-3, 1e-3, 1e-3, 3e-3, 0.05, 0.05, 1};
    double tol = 1e-6;  // the loss the "steps to" columns count to
};

// One optimizer's walk: the point and loss at step 0 (the start) .. steps, or up to the last
// finite step before it diverged.
struct Path {
    std::string name;
    double lr = 0;
    std::vector<double> x, y, loss;
    bool diverged = false;    // the loss became non-finite or grew 1e6-fold: the path stops there
    int diverged_at = -1;     // the step whose point was dropped
    int steps_to_tol = -1;    // first step with loss <= tol; -1: never
    int64_t evaluations = 0;  // loss + gradient evaluations (L-BFGS: its closure calls)
    int64_t evaluations_to_tol = -1;  // those made up to steps_to_tol
    double final_loss() const { return loss.back(); }
};

struct Problem {
    std::string name;
    double x0 = 0, y0 = 0;
    int steps = 0;
    std::vector<Path> paths;  // indexed by Kind
};

struct Result {
    Problem quadratic, rosenbrock;
    double tol = 0;
};

// ValueError for step counts or learning rates out of range.
Result run_optimizers(const Options& options, Output& out);

}  // namespace lab::optimizers
