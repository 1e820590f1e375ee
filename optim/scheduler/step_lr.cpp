// StepLR's closed form, its hyper-parameters and their checks.
#include "descent/optim/scheduler/step_lr.hpp"

#include <cmath>

namespace descent::optim {

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer, "StepLR"), step_size_(step_size), gamma_(gamma) {
    start();
}

double StepLR::lr_at(double base_lr, int64_t epoch) const {
    return base_lr * std::pow(gamma_, static_cast<double>(epoch / step_size_));
}

std::vector<detail::StateField> StepLR::hyper_parameters() {
    return {detail::count_field("step_size", step_size_), detail::number_field("gamma", gamma_)};
}

void StepLR::check(const std::string& who) const {
    require(who, step_size_ > 0, "step_size", "> 0", step_size_);
    require(who, gamma_ > 0 && std::isfinite(gamma_), "gamma", "finite and > 0", gamma_);
}

}  // namespace descent::optim
