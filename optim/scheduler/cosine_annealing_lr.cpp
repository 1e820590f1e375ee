// CosineAnnealingLR's closed form.
#include "descent/optim/scheduler/cosine_annealing_lr.hpp"

#include <cmath>

namespace descent::optim {

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min)
    : LRScheduler(optimizer, "CosineAnnealingLR") {
    require(T_max > 0, "T_max", "> 0", T_max);
    require(eta_min >= 0 && std::isfinite(eta_min), "eta_min", "finite and >= 0", eta_min);
    start([=](double base_lr, int64_t epoch) {
        const double pi = std::acos(-1.0);
        return eta_min +
               (base_lr - eta_min) * (1 + std::cos(pi * static_cast<double>(epoch) / T_max)) / 2;
    });
}

}  // namespace descent::optim
