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
    const double inf = std::numeric_limits<double>::infinity();
    best_ = mode == Mode::min ? inf : -inf;
    check("ReduceLROnPlateau()");
    detail::attach_scheduler(optimizer, "ReduceLROnPlateau");  // last: nothing can throw after it
    for (const OptimizerParamGroup& group : optimizer.param_groups())
        last_lr_.push_back(group.options().get_lr());
}

void ReduceLROnPlateau::check(const std::string& who) const {
    DESCENT_CHECK(factor_ >= 0 && factor_ < 1, ValueError, who, ": factor must be in [0, 1), got ",
                  factor_);
    DESCENT_CHECK(patience_ >= 0, ValueError, who, ": patience must be >= 0, got ", patience_);
    DESCENT_CHECK(threshold_ >= 0 && std::isfinite(threshold_), ValueError, who,
                  ": threshold must be finite and >= 0, got ", threshold_);
    DESCENT_CHECK(cooldown_ >= 0, ValueError, who, ": cooldown must be >= 0, got ", cooldown_);
    DESCENT_CHECK(min_lr_ >= 0 && std::isfinite(min_lr_), ValueError, who,
                  ": min_lr must be finite and >= 0, got ", min_lr_);
    DESCENT_CHECK(eps_ >= 0 && std::isfinite(eps_), ValueError, who,
                  ": eps must be finite and >= 0, got ", eps_);
    // The counters, as step() leaves them (best may be ±inf: a metric of -inf improves on all).
    DESCENT_CHECK(num_bad_epochs_ <= patience_ && num_bad_epochs_ <= last_epoch_, ValueError, who,
                  ": num_bad_epochs ", num_bad_epochs_, " exceeds patience ", patience_,
                  " or last_epoch ", last_epoch_);
    DESCENT_CHECK(cooldown_counter_ <= cooldown_, ValueError, who, ": cooldown_counter ",
                  cooldown_counter_, " exceeds cooldown ", cooldown_);
    DESCENT_CHECK(cooldown_counter_ == 0 || num_bad_epochs_ == 0, ValueError, who,
                  ": num_bad_epochs ", num_bad_epochs_, " during a cooldown (cooldown_counter ",
                  cooldown_counter_, "), where bad epochs are not counted");
    for (size_t g = 0; g < last_lr_.size(); ++g)
        DESCENT_CHECK(std::isfinite(last_lr_[g]) && last_lr_[g] >= 0, ValueError, who,
                      ": _last_lr[", g, "] must be finite and >= 0, got ", last_lr_[g]);
}

std::vector<detail::StateField> ReduceLROnPlateau::fields() {
    using namespace detail;
    return {number_field("factor", factor_),
            number_field("min_lr", min_lr_),
            count_field("patience", patience_),
            count_field("cooldown", cooldown_),
            count_field("cooldown_counter", cooldown_counter_),
            choice_field("mode", mode_, 2),
            number_field("threshold", threshold_),
            choice_field("threshold_mode", threshold_mode_, 2),
            number_field("best", best_),
            count_field("num_bad_epochs", num_bad_epochs_),
            number_field("eps", eps_),
            count_field("last_epoch", last_epoch_),
            per_group_field("_last_lr", last_lr_)};
}

NamedTensors ReduceLROnPlateau::state_dict() const {
    return detail::fields_state_dict(const_cast<ReduceLROnPlateau*>(this)->fields());  // only read
}

void ReduceLROnPlateau::load_state_dict(const NamedTensors& dict) {
    const std::string who = "ReduceLROnPlateau.load_state_dict()";
    detail::load_fields(who, fields(), static_cast<int64_t>(optimizer_.param_groups().size()), dict,
                        [&] { check(who); });
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
