// CosineAnnealingLR's closed form.
#include "descent/optim/scheduler/cosine_annealing_lr.hpp"

#include <cmath>

#include "descent/core/error.hpp"

namespace descent::optim {

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min)
    : LRScheduler(optimizer), T_max_(T_max), eta_min_(eta_min) {
    DESCENT_CHECK(T_max > 0, ValueError, "CosineAnnealingLR(): T_max must be > 0, got ", T_max);
    DESCENT_CHECK(eta_min >= 0 && std::isfinite(eta_min), ValueError,
                  "CosineAnnealingLR(): eta_min must be finite and >= 0, got ", eta_min);
    start();
}

double CosineAnnealingLR::lr_at(double base_lr, int64_t epoch) const {
    const double pi = std::acos(-1.0);
    return eta_min_ +
           (base_lr - eta_min_) * (1 + std::cos(pi * static_cast<double>(epoch) / T_max_)) / 2;
}

}  // namespace descent::optim
