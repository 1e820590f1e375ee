// StepLR's closed form.
#include "descent/optim/scheduler/step_lr.hpp"

#include <cmath>

namespace descent::optim {

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer, "StepLR") {
    require(step_size > 0, "step_size", "> 0", step_size);
    require(gamma > 0 && std::isfinite(gamma), "gamma", "finite and > 0", gamma);
    start([=](double base_lr, int64_t epoch) {
        return base_lr * std::pow(gamma, static_cast<double>(epoch / step_size));
    });
}

}  // namespace descent::optim
