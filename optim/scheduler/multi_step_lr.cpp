// MultiStepLR's closed form: a binary search for how many milestones have passed.
#include "descent/optim/scheduler/multi_step_lr.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/error.hpp"

namespace descent::optim {

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma)
    : LRScheduler(optimizer), milestones_(std::move(milestones)), gamma_(gamma) {
    DESCENT_CHECK(gamma > 0 && std::isfinite(gamma), ValueError,
                  "MultiStepLR(): gamma must be finite and > 0, got ", gamma);
    std::sort(milestones_.begin(), milestones_.end());
    start();
}

double MultiStepLR::lr_at(double base_lr, int64_t epoch) const {
    const auto passed =
        std::upper_bound(milestones_.begin(), milestones_.end(), epoch) - milestones_.begin();
    return base_lr * std::pow(gamma_, static_cast<double>(passed));
}

}  // namespace descent::optim
