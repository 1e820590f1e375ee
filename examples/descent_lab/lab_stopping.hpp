// Lab "stopping": an over-parameterised MLP fitted to a few noisy points overfits; early stopping
// by patience / min_delta on the validation loss and stopping at a target training loss
// (train::EarlyStopping) are compared with training to the end.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab::stopping {

struct Options {
    Common common;  // --quick: 400 epochs instead of `epochs`
    int64_t train_samples = 20, val_samples = 200;
    double noise = 0.3;  // std of the label noise: a perfect fit of sin(3x) has train loss noise²
    int64_t hidden = 64;
    int epochs = 2000;
    double lr = 0.003;  // Adam
    int64_t batch_size = 10;
    int64_t patience = 100;
    double min_delta = 1e-3;
    double target = 0;  // train loss to stop at; 0: noise² (below it the net fits the noise)
};

// Where one rule stops (epochs 1-based, as printed and drawn).
struct Rule {
    std::string name, reason;  // reason: EarlyStopping::reason()
    int stop_epoch = 0;        // the epoch its step() first returned true; 0: never
    double stop_val = 0;       // validation loss at stop_epoch
    int best_epoch = 0;        // EarlyStopping::best_epoch() + 1 when it stopped
    double best_val = 0;       // the validation loss at best_epoch (a restored checkpoint's)
};

struct Result {
    std::vector<double> train_loss, val_loss;  // after epoch 1..epochs (mean squared error)
    int64_t patience = 0;
    double min_delta = 0, target = 0;
    Rule patience_rule;  // patience / min_delta on the validation loss
    Rule target_rule;    // training loss <= target
    int best_epoch = 0;  // argmin of the validation loss over the whole run
    double best_val = 0;
};

// ValueError for sizes or rates out of range.
Result run_stopping(const Options& options, Output& out);

}  // namespace lab::stopping
