// ConstantLR: lr = base_lr · factor until epoch total_iters, then base_lr
// (torch.optim.lr_scheduler.ConstantLR).
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class ConstantLR : public LRScheduler {
public:
    ConstantLR(Optimizer& optimizer, double factor = 1.0 / 3, int64_t total_iters = 5);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;

private:
    double factor_;
    int64_t total_iters_;
};

}  // namespace descent::optim
