// ExponentialLR's closed form, its hyper-parameter and its check.
#include "descent/optim/scheduler/exponential_lr.hpp"

#include <cmath>

namespace descent::optim {

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : LRScheduler(optimizer, "ExponentialLR"), gamma_(gamma) {
    start();
}

double ExponentialLR::lr_at(double base_lr, int64_t epoch) const {
    return base_lr * std::pow(gamma_, static_cast<double>(epoch));
}

std::vector<detail::StateField> ExponentialLR::hyper_parameters() {
    return {detail::number_field("gamma", gamma_)};
}

void ExponentialLR::check(const std::string& who) const {
    require(who, gamma_ > 0 && std::isfinite(gamma_), "gamma", "finite and > 0", gamma_);
}

}  // namespace descent::optim
