// LinearLR's closed form, its hyper-parameters and their checks.
#include "descent/optim/scheduler/linear_lr.hpp"

#include <algorithm>

namespace descent::optim {

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor,
                   int64_t total_iters)
    : LRScheduler(optimizer, "LinearLR"),
      start_factor_(start_factor),
      end_factor_(end_factor),
      total_iters_(total_iters) {
    start();
}

double LinearLR::lr_at(double base_lr, int64_t epoch) const {
    const double progress =
        static_cast<double>(std::min(epoch, total_iters_)) / static_cast<double>(total_iters_);
    return base_lr * (start_factor_ + (end_factor_ - start_factor_) * progress);
}

std::vector<detail::StateField> LinearLR::hyper_parameters() {
    return {detail::number_field("start_factor", start_factor_),
            detail::number_field("end_factor", end_factor_),
            detail::count_field("total_iters", total_iters_)};
}

void LinearLR::check(const std::string& who) const {
    // PyTorch's ranges: a zero start would make the chained form divide by zero.
    require(who, start_factor_ > 0 && start_factor_ <= 1, "start_factor", "in (0, 1]",
            start_factor_);
    require(who, end_factor_ >= 0 && end_factor_ <= 1, "end_factor", "in [0, 1]", end_factor_);
    require(who, total_iters_ > 0, "total_iters", "> 0", total_iters_);
}

}  // namespace descent::optim
