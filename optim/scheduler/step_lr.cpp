// StepLR's closed form.
#include "descent/optim/scheduler/step_lr.hpp"

#include <cmath>

#include "descent/core/error.hpp"

namespace descent::optim {

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer), step_size_(step_size), gamma_(gamma) {
    DESCENT_CHECK(step_size > 0, ValueError, "StepLR(): step_size must be > 0, got ", step_size);
    DESCENT_CHECK(gamma > 0 && std::isfinite(gamma), ValueError,
                  "StepLR(): gamma must be finite and > 0, got ", gamma);
    start();
}

double StepLR::lr_at(double base_lr, int64_t epoch) const {
    return base_lr * std::pow(gamma_, static_cast<double>(epoch / step_size_));
}

}  // namespace descent::optim
