// LinearLR's closed form.
#include "descent/optim/scheduler/linear_lr.hpp"

#include <algorithm>

namespace descent::optim {

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor,
                   int64_t total_iters)
    : LRScheduler(optimizer, "LinearLR") {
    // PyTorch's ranges: a zero start would make the chained form divide by zero.
    require(start_factor > 0 && start_factor <= 1, "start_factor", "in (0, 1]", start_factor);
    require(end_factor >= 0 && end_factor <= 1, "end_factor", "in [0, 1]", end_factor);
    require(total_iters > 0, "total_iters", "> 0", total_iters);
    start([=](double base_lr, int64_t epoch) {
        const double progress =
            static_cast<double>(std::min(epoch, total_iters)) / static_cast<double>(total_iters);
        return base_lr * (start_factor + (end_factor - start_factor) * progress);
    });
}

}  // namespace descent::optim
