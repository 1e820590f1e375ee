// Lab `regularization`: none vs L2 (weight decay) vs L1 (proximal soft-thresholding, and the plain
// subgradient for comparison) on an over-parameterised linear regression where only a few of the
// features matter: train and validation loss per epoch, the final weights and their exact zeros.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab {

struct RegularizationOptions {
    int64_t train = 30, val = 200;  // samples
    int64_t features = 100, informative = 5;
    double noise = 0.5;  // std of the target noise
    int epochs = 3000;   // full-batch gradient steps
    double lr = 0.02;
    double l1 = 0.2;  // lambda of lambda·Σ|w| added to the mean squared error
    double l2 = 0.1;  // SGD weight_decay: the gradient of (l2/2)·Σw²
    uint64_t seed = 1;
    bool quick = false;  // fewer epochs
};

// One way of training: its losses per epoch (index 0: before the first step) and final weights.
struct RegularizationRun {
    std::string name;
    std::vector<double> train_loss, val_loss;  // mean squared error, without the penalty
    std::vector<float> weights;
    int64_t zeros = 0;   // weights exactly == 0.0f
    double min_abs = 0;  // smallest |w|
};

struct RegularizationResult {
    std::vector<float> true_weights;
    RegularizationRun none, l2, l1, l1_subgradient;
    double noise_floor = 0;  // noise², the validation loss of the true weights
};

RegularizationResult run_regularization(const RegularizationOptions& options, Output& out);

}  // namespace lab
