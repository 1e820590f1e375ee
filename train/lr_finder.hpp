// The learning-rate range test (Leslie Smith 2015; fastai's lr_find): a short run whose lr rises
// exponentially from start_lr to end_lr, one batch per step, recording the loss at each lr, until
// the loss explodes. It suggests an lr and leaves the model and the optimizer as it found them.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/module.hpp"
#include "descent/optim/optimizer.hpp"

namespace descent::train {

struct LRFinderOptions {
    double start_lr = 1e-7;
    double end_lr = 10;
    int64_t num_iter = 100;  // steps; step i uses start_lr·(end_lr/start_lr)^(i/(num_iter-1))
    double smooth = 0.98;    // beta of the bias-corrected moving average of the loss; 0: none
    double diverge_factor = 4;  // stop once the smoothed loss exceeds this times its best
};

struct LRFinderResult {
    // One entry per step whose loss was finite: the lr the step used, the loss of its batch (taken
    // before the step) and the bias-corrected moving average up to it.
    std::vector<double> lrs, losses, smoothed;
    // lrs at the steepest descent of the smoothed loss against log lr before its minimum (see
    // lr_range_test); lrs[best_index] / 10 when the minimum comes before the third point; 0 when
    // not even the first loss was finite.
    double suggested_lr = 0;
    int64_t best_index = 0;  // the minimum of `smoothed`
    // True when the run stopped early: a non-finite loss (not recorded) or a smoothed loss above
    // diverge_factor x its best (recorded, the last entry; checked only while the best is > 0).
    bool diverged = false;
    int64_t stopped_at = 0;  // the step it stopped at (0-based); num_iter when it ran to the end
};

// Runs the range test. step_loss computes the loss of the next batch (forward only, grad mode on);
// each step the finder sets the lr of every param group, zeroes the gradients, calls backward and
// optimizer.step(). Afterwards the model's parameters and buffers, their gradients, the optimizer's
// state and every group's lr are restored, also when step_loss throws: only what step_loss itself
// changes (a data iterator, a generator) stays changed.
//
// The suggestion is the steepest point, not the minimum: at the minimum the lr is already at the
// edge of divergence (and the moving average lags the raw loss, placing it later still), while the
// steepest fall is where a step gains most per factor of lr and is well inside the stable range.
// ValueError naming the option and its value for start_lr not finite and > 0, end_lr not finite and
// > start_lr, num_iter < 2, smooth outside [0, 1), diverge_factor not finite and > 1; for an
// optimizer whose step needs a closure (LBFGS); for a step_loss that is not one element.
LRFinderResult lr_range_test(nn::Module& model, optim::Optimizer& optimizer,
                             const std::function<Tensor()>& step_loss,
                             const LRFinderOptions& options = {});

}  // namespace descent::train
