// LinearLR's closed form.
#include "descent/optim/scheduler/linear_lr.hpp"

#include <algorithm>

#include "descent/core/error.hpp"

namespace descent::optim {

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor,
                   int64_t total_iters)
    : LRScheduler(optimizer),
      start_factor_(start_factor),
      end_factor_(end_factor),
      total_iters_(total_iters) {
    // PyTorch's ranges: a zero start would make the chained form divide by zero.
    DESCENT_CHECK(start_factor > 0 && start_factor <= 1, ValueError,
                  "LinearLR(): start_factor must be in (0, 1], got ", start_factor);
    DESCENT_CHECK(end_factor >= 0 && end_factor <= 1, ValueError,
                  "LinearLR(): end_factor must be in [0, 1], got ", end_factor);
    DESCENT_CHECK(total_iters > 0, ValueError, "LinearLR(): total_iters must be > 0, got ",
                  total_iters);
    start();
}

double LinearLR::lr_at(double base_lr, int64_t epoch) const {
    const double progress =
        static_cast<double>(std::min(epoch, total_iters_)) / static_cast<double>(total_iters_);
    return base_lr * (start_factor_ + (end_factor_ - start_factor_) * progress);
}

}  // namespace descent::optim
