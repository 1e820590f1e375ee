// DivergenceGuard: the non-finite check, the growth-over-best rule, and its state dict.
#include "descent/train/divergence.hpp"

#include <cmath>

namespace descent::train {

DivergenceGuard::DivergenceGuard(double factor) : factor_(factor) { check("DivergenceGuard()"); }

void DivergenceGuard::check(const std::string& who) const {
    DESCENT_CHECK(std::isfinite(factor_) && factor_ > 1, ValueError, who,
                  ": factor must be a finite number > 1, got ", factor_);
    DESCENT_CHECK(!has_best_ || std::isfinite(best_), ValueError, who,
                  ": best must be finite, got ", best_);
}

std::optional<std::string> DivergenceGuard::check(double loss, int64_t epoch, int64_t batch,
                                                  double lr) {
    if (!std::isfinite(loss))
        throw NonFiniteLoss(detail::cat("training stopped: the loss is ", loss, " at epoch ", epoch,
                                        ", batch ", batch, " (lr ", lr,
                                        "); try a smaller --lr or gradient clipping"));
    if (has_best_ && best_ > 0 && loss > factor_ * best_ && warned_epoch_ != epoch) {
        warned_epoch_ = epoch;
        return detail::cat("warning: the loss diverges: ", loss, " at epoch ", epoch, ", batch ",
                           batch, " is over ", factor_, "x the best epoch mean ", best_, " (lr ",
                           lr, ")");
    }
    return std::nullopt;
}

void DivergenceGuard::end_epoch(double mean_loss) {
    if (std::isfinite(mean_loss) && (!has_best_ || mean_loss < best_))
        has_best_ = true, best_ = mean_loss;
}

std::vector<optim::detail::StateField> DivergenceGuard::fields() {
    using namespace optim::detail;
    return {number_field("factor", factor_), choice_field("has_best", has_best_, 2),
            number_field("best", best_), count_field("warned_epoch", warned_epoch_, -1)};
}

NamedTensors DivergenceGuard::state_dict() const {
    return optim::detail::fields_state_dict(
        const_cast<DivergenceGuard*>(this)->fields());  // only read
}

void DivergenceGuard::load_state_dict(const NamedTensors& dict) {
    const std::string who = "DivergenceGuard.load_state_dict()";
    optim::detail::load_fields(who, fields(), 0, dict, [&] { check(who); });
}

}  // namespace descent::train
