// LinearLR, the linear warm-up: the factor goes linearly from start_factor to end_factor over
// total_iters epochs, then stays: lr = base_lr · (s + (e - s)·min(epoch, T) / T)
// (torch.optim.lr_scheduler.LinearLR).
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class LinearLR : public LRScheduler {
public:
    LinearLR(Optimizer& optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0,
             int64_t total_iters = 5);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;

private:
    double start_factor_, end_factor_;
    int64_t total_iters_;
};

}  // namespace descent::optim
