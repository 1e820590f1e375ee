// Lab "lr": the learning rate too small, good and too large, first on an ill-conditioned quadratic
// whose stability limit 2/L is known, then on a Fashion-MNIST MLP with SGD, and the lr range test
// (train::lr_range_test) finding a good one for that MLP without knowing L.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab::lr {

struct Options {
    Common common;  // --quick: fewer steps, 1000 images
    // The quadratic ½ Σ λ_i x_i², λ log-spaced over [1, L], from x = 1: gradient descent is
    // stable iff lr < 2/L.
    int64_t dim = 50;
    double L = 100;
    int quad_steps = 300;
    double quad_small = 0.001, quad_good = 0.018, quad_large = 0.025;
    // The MLP 784-hidden-10 (ReLU) with plain SGD on the first `images` training images.
    int64_t hidden = 128;
    int64_t images = 5000;
    int64_t batch = 64;
    int mlp_steps = 1000;
    double mlp_small = 0.001, mlp_good = 0.1, mlp_large = 10;
    // The range test on the same MLP.
    double start_lr = 1e-5, end_lr = 100;
    int64_t range_iter = 200;
    std::string data = descent::data::default_fashion_mnist_dir();
};

// One training run at a fixed lr.
struct Run {
    std::string name;
    double lr = 0;
    std::vector<double> loss;  // per step, finite: a stopped run ends before its bad step
    bool diverged = false;     // a non-finite loss, or one over 1e3 x the best so far
    int diverged_at = 0;       // the first such step (1-based), 0 when none
    std::string reason;        // train::DivergenceGuard's message then
    bool stopped = false;      // the run ended at diverged_at (always, except the MLP's too large)
    double final_loss = 0;     // mean of the last 10% of the steps; NaN when stopped
};

struct Result {
    double limit = 0;  // 2/L
    Run quad_small, quad_good, quad_large;
    descent::train::LRFinderResult quad_range;  // the range test on the quadratic too
    Run mlp_small, mlp_good, mlp_large, mlp_suggested;
    descent::train::LRFinderResult range;  // on the MLP, from its initial weights
};

// ValueError for sizes or rates out of range.
Result run_lr(const Options& options, Output& out);

}  // namespace lab::lr
