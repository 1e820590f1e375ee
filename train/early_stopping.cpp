// EarlyStopping's bookkeeping: best value, epochs since it improved, and the reason once stopped.
#include "descent/train/early_stopping.hpp"

#include <cmath>
#include <limits>

#include "descent/core/error.hpp"

namespace descent::train {

using optim::Mode;

EarlyStopping::EarlyStopping(int64_t patience, double min_delta, Mode mode,
                             std::optional<double> target)
    : patience_(patience), min_delta_(min_delta), mode_(mode), target_(target) {
    DESCENT_CHECK(patience >= 1, ValueError, "EarlyStopping(): patience must be >= 1, got ",
                  patience);
    DESCENT_CHECK(min_delta >= 0 && std::isfinite(min_delta), ValueError,
                  "EarlyStopping(): min_delta must be finite and >= 0, got ", min_delta);
    DESCENT_CHECK(!target || !std::isnan(*target), ValueError, "EarlyStopping(): target is NaN");
    const double inf = std::numeric_limits<double>::infinity();
    best_ = mode == Mode::min ? inf : -inf;
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
    if (!stop_ && target_ && (min ? value <= *target_ : value >= *target_)) {
        stop_ = true;
        reason_ =
            descent::detail::cat("target ", *target_, " reached: ", value, " at epoch ", epoch_);
    } else if (!stop_ && bad_ >= patience_) {
        stop_ = true;
        reason_ = descent::detail::cat("no improvement by more than ", min_delta_, " for ", bad_,
                                       " epochs (best ", best_, " at epoch ", best_epoch_, ")");
    }
    ++epoch_;
    return stop_;
}

}  // namespace descent::train
