// ReduceLROnPlateau's bookkeeping, in the order of PyTorch 1.13's step(): compare with the best,
// count down the cooldown (which clears bad epochs), reduce once bad epochs exceed patience.
#include "descent/optim/scheduler/reduce_lr_on_plateau.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/core/error.hpp"

namespace descent::optim {

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, Mode mode, double factor,
                                     int64_t patience, double threshold,
                                     ThresholdMode threshold_mode, int64_t cooldown, double min_lr,
                                     double eps)
    : optimizer_(optimizer),
      mode_(mode),
      factor_(factor),
      patience_(patience),
      threshold_(threshold),
      threshold_mode_(threshold_mode),
      cooldown_(cooldown),
      min_lr_(min_lr),
      eps_(eps) {
    const char* who = "ReduceLROnPlateau(): ";
    DESCENT_CHECK(factor >= 0 && factor < 1, ValueError, who, "factor must be in [0, 1), got ",
                  factor);
    DESCENT_CHECK(patience >= 0, ValueError, who, "patience must be >= 0, got ", patience);
    DESCENT_CHECK(threshold >= 0 && std::isfinite(threshold), ValueError, who,
                  "threshold must be finite and >= 0, got ", threshold);
    DESCENT_CHECK(cooldown >= 0, ValueError, who, "cooldown must be >= 0, got ", cooldown);
    DESCENT_CHECK(min_lr >= 0 && std::isfinite(min_lr), ValueError, who,
                  "min_lr must be finite and >= 0, got ", min_lr);
    DESCENT_CHECK(eps >= 0 && std::isfinite(eps), ValueError, who,
                  "eps must be finite and >= 0, got ", eps);
    detail::attach_scheduler(optimizer, "ReduceLROnPlateau");  // last: nothing can throw after it
    const double inf = std::numeric_limits<double>::infinity();
    best_ = mode == Mode::min ? inf : -inf;
    for (const OptimizerParamGroup& group : optimizer.param_groups())
        last_lr_.push_back(group.options().get_lr());
}

bool ReduceLROnPlateau::is_better(double a) const {
    const bool rel = threshold_mode_ == ThresholdMode::rel;
    if (mode_ == Mode::min) return rel ? a < best_ * (1 - threshold_) : a < best_ - threshold_;
    return rel ? a > best_ * (threshold_ + 1) : a > best_ + threshold_;
}

ReduceLROnPlateau::~ReduceLROnPlateau() { detail::detach_scheduler(optimizer_); }

void ReduceLROnPlateau::step(double metric) {
    DESCENT_CHECK(!std::isnan(metric), ValueError, "ReduceLROnPlateau::step(): metric at epoch ",
                  last_epoch_ + 1, " is NaN");
    ++last_epoch_;
    if (is_better(metric)) {
        best_ = metric;
        num_bad_epochs_ = 0;
    } else {
        ++num_bad_epochs_;
    }
    if (cooldown_counter_ > 0) {
        --cooldown_counter_;
        num_bad_epochs_ = 0;  // bad epochs during the cooldown do not count
    }
    if (num_bad_epochs_ > patience_) {
        for (OptimizerParamGroup& group : optimizer_.param_groups()) {
            const double old_lr = group.options().get_lr();
            const double new_lr = std::max(old_lr * factor_, min_lr_);
            if (old_lr - new_lr > eps_) group.options().set_lr(new_lr);
        }
        cooldown_counter_ = cooldown_;
        num_bad_epochs_ = 0;
    }
    last_lr_.clear();
    for (const OptimizerParamGroup& group : optimizer_.param_groups())
        last_lr_.push_back(group.options().get_lr());
}

}  // namespace descent::optim
