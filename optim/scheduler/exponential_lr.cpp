// ExponentialLR's closed form.
#include "descent/optim/scheduler/exponential_lr.hpp"

#include <cmath>

namespace descent::optim {

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : LRScheduler(optimizer, "ExponentialLR") {
    require(gamma > 0 && std::isfinite(gamma), "gamma", "finite and > 0", gamma);
    start([=](double base_lr, int64_t epoch) {
        return base_lr * std::pow(gamma, static_cast<double>(epoch));
    });
}

}  // namespace descent::optim
