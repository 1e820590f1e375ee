// Lab "variants": batch, stochastic (batch 1) and mini-batch gradient descent with optim::SGD on
// one noisy linear regression, compared per epoch, per sample seen and per second, with the noise
// each batch size puts into the steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab::variants {

struct Options {
    Common common;  // --quick shrinks the run to 256 samples, 10 epochs, noise over the last 3
    int64_t samples = 2048;  // N points of the regression
    int64_t features = 8;
    int epochs = 40;
    double lr = 0.02;                                 // one rate for every batch size
    std::vector<int64_t> batch_sizes{1, 8, 32, 128};  // full batch (N) is always added
    int noise_epochs = 5;                             // the last epochs the noise is measured over
};

// One point of a curve: the full-data loss after `updates` steps.
struct Point {
    double epoch = 0;  // samples / N, fractional inside an epoch
    int64_t updates = 0, samples = 0;
    double seconds = 0;  // training time only (no evaluation)
    double loss = 0;     // mean squared error on all N points
};

struct Variant {
    std::string name;
    int64_t batch_size = 0;
    std::vector<Point> curve;        // starts at the initial model; every whole epoch is a point
    std::vector<double> epoch_loss;  // full-data loss after epoch 1..epochs (from curve)
    // Noise over the last noise_epochs epochs: the RMS of (minibatch loss - full-data loss) /
    // full-data loss at the same weights, i.e. how far (relatively, so that it does not depend
    // on how far training got) the loss a step follows is from the true one; and the fraction of
    // steps that raised the full-data loss.
    double noise_rms = 0, uphill = 0;
    int64_t noise_updates = 0;  // steps the noise was measured over
};

struct Result {
    int64_t samples = 0;
    std::vector<Variant> variants;  // in batch-size order, full batch last
};

// ValueError for a batch size outside [1, samples], or sizes out of range.
Result run_variants(const Options& options, Output& out);

}  // namespace lab::variants
