// MultiStepLR's closed form (a binary search for how many milestones have passed), its
// hyper-parameters and their checks.
#include "descent/optim/scheduler/multi_step_lr.hpp"

#include <algorithm>
#include <cmath>

namespace descent::optim {

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma)
    : LRScheduler(optimizer, "MultiStepLR"), milestones_(std::move(milestones)), gamma_(gamma) {
    std::sort(milestones_.begin(), milestones_.end());
    start();
}

double MultiStepLR::lr_at(double base_lr, int64_t epoch) const {
    const auto passed =
        std::upper_bound(milestones_.begin(), milestones_.end(), epoch) - milestones_.begin();
    return base_lr * std::pow(gamma_, static_cast<double>(passed));
}

std::vector<detail::StateField> MultiStepLR::hyper_parameters() {
    return {detail::list_field("milestones", milestones_), detail::number_field("gamma", gamma_)};
}

void MultiStepLR::check(const std::string& who) const {
    // The constructor sorts; a loaded list must already be in order for the binary search.
    require(who, std::is_sorted(milestones_.begin(), milestones_.end()), "milestones",
            "in increasing order", "an unsorted list");
    require(who, gamma_ > 0 && std::isfinite(gamma_), "gamma", "finite and > 0", gamma_);
}

}  // namespace descent::optim
