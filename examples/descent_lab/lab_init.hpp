// Lab `init`: a deep ReLU MLP on a Fashion-MNIST subset initialised with Gaussians too small
// (std 0.01), too large (std 1), Xavier and Kaiming: the activation std and gradient norm of every
// layer at initialisation, and the loss of a few hundred SGD steps from each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab {

struct InitOptions {
    int depth = 10;  // Linear layers: 784 -> width x (depth - 1) -> 10, ReLU between
    int64_t width = 128;
    int steps = 400;  // SGD steps (momentum 0.9) from each initialisation
    int64_t batch = 64;
    int64_t images = 5000;  // the first this many Fashion-MNIST training images
    double lr = 0.01;
    std::string data = descent::data::default_fashion_mnist_dir();
    uint64_t seed = 1;
    bool quick = false;  // 80 steps on 1000 images
};

struct InitRun {
    std::string name;
    // Per Linear layer (1..depth), on the first batch before any step: the std of its output
    // (pre-activation; the last is the logits) and the norm of its weight's gradient.
    std::vector<double> activation_std, grad_norm;
    std::vector<double> loss;  // per step; stops at the first non-finite one
    double final_loss = 0;     // mean of the last 10% of the steps; NaN when diverged
    int diverged_at = 0;       // the step whose loss was not finite, 0 when none was
};

struct InitResult {
    InitRun small, large, xavier, kaiming;  // std 0.01, std 1, xavier_normal_, kaiming_normal_
};

InitResult run_init(const InitOptions& options, Output& out);

}  // namespace lab
