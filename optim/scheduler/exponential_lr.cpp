// ExponentialLR's closed form.
#include "descent/optim/scheduler/exponential_lr.hpp"

#include <cmath>

#include "descent/core/error.hpp"

namespace descent::optim {

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : LRScheduler(optimizer), gamma_(gamma) {
    DESCENT_CHECK(gamma > 0 && std::isfinite(gamma), ValueError,
                  "ExponentialLR(): gamma must be finite and > 0, got ", gamma);
    start();
}

double ExponentialLR::lr_at(double base_lr, int64_t epoch) const {
    return base_lr * std::pow(gamma_, static_cast<double>(epoch));
}

}  // namespace descent::optim
