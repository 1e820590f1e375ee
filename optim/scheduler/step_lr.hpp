// StepLR: lr = base_lr · gamma^⌊epoch / step_size⌋ (torch.optim.lr_scheduler.StepLR).
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class StepLR : public LRScheduler {
public:
    StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;

private:
    int64_t step_size_;
    double gamma_;
};

}  // namespace descent::optim
