// PolynomialLR's closed form (torch's _get_closed_form_lr), its hyper-parameters and their checks.
#include "descent/optim/scheduler/polynomial_lr.hpp"

#include <algorithm>
#include <cmath>

namespace descent::optim {

PolynomialLR::PolynomialLR(Optimizer& optimizer, int64_t total_iters, double power)
    : LRScheduler(optimizer, "PolynomialLR"), total_iters_(total_iters), power_(power) {
    start();
}

double PolynomialLR::lr_at(double base_lr, int64_t epoch) const {
    const double done =
        static_cast<double>(std::min(total_iters_, epoch)) / static_cast<double>(total_iters_);
    return base_lr * std::pow(1.0 - done, power_);
}

std::vector<detail::StateField> PolynomialLR::hyper_parameters() {
    return {detail::count_field("total_iters", total_iters_),
            detail::number_field("power", power_)};
}

void PolynomialLR::check(const std::string& who) const {
    require(who, total_iters_ > 0, "total_iters", "> 0", total_iters_);
    require(who, std::isfinite(power_) && power_ >= 0, "power", "finite and >= 0", power_);
}

}  // namespace descent::optim
