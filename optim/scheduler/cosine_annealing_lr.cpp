// CosineAnnealingLR's closed form, its hyper-parameters and their checks.
#include "descent/optim/scheduler/cosine_annealing_lr.hpp"

#include <cmath>

namespace descent::optim {

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min)
    : LRScheduler(optimizer, "CosineAnnealingLR"), T_max_(T_max), eta_min_(eta_min) {
    start();
}

double CosineAnnealingLR::lr_at(double base_lr, int64_t epoch) const {
    const double pi = std::acos(-1.0);
    return eta_min_ +
           (base_lr - eta_min_) * (1 + std::cos(pi * static_cast<double>(epoch) / T_max_)) / 2;
}

std::vector<detail::StateField> CosineAnnealingLR::hyper_parameters() {
    return {detail::count_field("T_max", T_max_), detail::number_field("eta_min", eta_min_)};
}

void CosineAnnealingLR::check(const std::string& who) const {
    require(who, T_max_ > 0, "T_max", "> 0", T_max_);
    require(who, eta_min_ >= 0 && std::isfinite(eta_min_), "eta_min", "finite and >= 0", eta_min_);
}

}  // namespace descent::optim
