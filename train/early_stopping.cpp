// EarlyStopping's bookkeeping: best value, epochs since it improved, the reason once stopped, and
// the state dict of all of it.
#include "descent/train/early_stopping.hpp"

#include <cmath>
#include <limits>

#include "descent/core/error.hpp"

namespace descent::train {

using optim::Mode;

EarlyStopping::EarlyStopping(int64_t patience, double min_delta, Mode mode,
                             std::optional<double> target)
    : patience_(patience),
      min_delta_(min_delta),
      mode_(mode),
      has_target_(target.has_value()),
      target_(target.value_or(0)) {
    const double inf = std::numeric_limits<double>::infinity();
    best_ = mode == Mode::min ? inf : -inf;
    check("EarlyStopping()");
}

void EarlyStopping::check(const std::string& who) const {
    DESCENT_CHECK(patience_ >= 1, ValueError, who, ": patience must be >= 1, got ", patience_);
    DESCENT_CHECK(min_delta_ >= 0 && std::isfinite(min_delta_), ValueError, who,
                  ": min_delta must be finite and >= 0, got ", min_delta_);
    DESCENT_CHECK(!has_target_ || !std::isnan(target_), ValueError, who, ": target is NaN");
    // The counters, as step() leaves them.
    DESCENT_CHECK(best_epoch_ < epoch_ && bad_ <= epoch_, ValueError, who, ": best_epoch ",
                  best_epoch_, " and num_bad_epochs ", bad_, " must be below epoch ", epoch_);
    DESCENT_CHECK(stop_ == Stop::none || (stop_epoch_ >= 0 && stop_epoch_ < epoch_), ValueError,
                  who, ": stop_epoch ", stop_epoch_, " is not an epoch before ", epoch_);
}

bool EarlyStopping::step(double value) {
    DESCENT_CHECK(!std::isnan(value), ValueError, "EarlyStopping::step(): value at epoch ", epoch_,
                  " is NaN");
    const bool min = mode_ == Mode::min;
    const bool improved = min ? value < best_ - min_delta_ : value > best_ + min_delta_;
    if (improved) {
        best_ = value;
        best_epoch_ = epoch_;
        bad_ = 0;
    } else {
        ++bad_;
    }
    if (!should_stop() && has_target_ && (min ? value <= target_ : value >= target_)) {
        stop_ = Stop::target, stop_value_ = value, stop_epoch_ = epoch_;
        set_reason();
    } else if (!should_stop() && bad_ >= patience_) {
        stop_ = Stop::patience, stop_value_ = best_, stop_epoch_ = best_epoch_;
        set_reason();
    }
    ++epoch_;
    return should_stop();
}

void EarlyStopping::set_reason() {
    if (stop_ == Stop::target)
        reason_ = descent::detail::cat("target ", target_, " reached: ", stop_value_, " at epoch ",
                                       stop_epoch_);
    else if (stop_ == Stop::patience)  // patience ran out the first time bad_ reached it
        reason_ =
            descent::detail::cat("no improvement by more than ", min_delta_, " for ", patience_,
                                 " epochs (best ", stop_value_, " at epoch ", stop_epoch_, ")");
    else
        reason_.clear();
}

std::vector<optim::detail::StateField> EarlyStopping::fields() {
    using namespace optim::detail;
    return {count_field("patience", patience_),
            number_field("min_delta", min_delta_),
            choice_field("mode", mode_, 2),
            choice_field("has_target", has_target_, 2),
            number_field("target", target_),
            number_field("best", best_),
            count_field("best_epoch", best_epoch_, -1),
            count_field("epoch", epoch_),
            count_field("num_bad_epochs", bad_),
            choice_field("stopped", stop_, 3),
            number_field("stop_value", stop_value_),
            count_field("stop_epoch", stop_epoch_, -1)};
}

NamedTensors EarlyStopping::state_dict() const {
    return optim::detail::fields_state_dict(
        const_cast<EarlyStopping*>(this)->fields());  // only read
}

void EarlyStopping::load_state_dict(const NamedTensors& dict) {
    const std::string who = "EarlyStopping.load_state_dict()";
    optim::detail::load_fields(who, fields(), 0, dict, [&] { check(who); });
    set_reason();
}

}  // namespace descent::train
