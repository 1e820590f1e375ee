// DivergenceGuard: the non-finite check and the growth-over-best rule.
#include "descent/train/divergence.hpp"

#include <cmath>

namespace descent::train {

DivergenceGuard::DivergenceGuard(double factor) : factor_(factor) {
    DESCENT_CHECK(std::isfinite(factor) && factor > 1, ValueError,
                  "DivergenceGuard(): factor must be a finite number > 1, got ", factor);
}

std::optional<std::string> DivergenceGuard::check(double loss, int64_t epoch, int64_t batch,
                                                  double lr) {
    if (!std::isfinite(loss))
        throw NonFiniteLoss(detail::cat("training stopped: the loss is ", loss, " at epoch ", epoch,
                                        ", batch ", batch, " (lr ", lr,
                                        "); try a smaller --lr or gradient clipping"));
    if (best_ && *best_ > 0 && loss > factor_ * *best_ && warned_epoch_ != epoch) {
        warned_epoch_ = epoch;
        return detail::cat("warning: the loss diverges: ", loss, " at epoch ", epoch, ", batch ",
                           batch, " is over ", factor_, "x the best epoch mean ", *best_, " (lr ",
                           lr, ")");
    }
    return std::nullopt;
}

void DivergenceGuard::end_epoch(double mean_loss) {
    if (std::isfinite(mean_loss) && (!best_ || mean_loss < *best_)) best_ = mean_loss;
}

}  // namespace descent::train
