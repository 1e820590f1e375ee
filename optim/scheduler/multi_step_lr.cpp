// MultiStepLR's closed form: a binary search for how many milestones have passed.
#include "descent/optim/scheduler/multi_step_lr.hpp"

#include <algorithm>
#include <cmath>

namespace descent::optim {

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma)
    : LRScheduler(optimizer, "MultiStepLR") {
    require(gamma > 0 && std::isfinite(gamma), "gamma", "finite and > 0", gamma);
    std::sort(milestones.begin(), milestones.end());
    start([=](double base_lr, int64_t epoch) {
        const auto passed =
            std::upper_bound(milestones.begin(), milestones.end(), epoch) - milestones.begin();
        return base_lr * std::pow(gamma, static_cast<double>(passed));
    });
}

}  // namespace descent::optim
