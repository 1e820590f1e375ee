// ExponentialLR: lr = base_lr · gamma^epoch (torch.optim.lr_scheduler.ExponentialLR).
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class ExponentialLR : public LRScheduler {
public:
    ExponentialLR(Optimizer& optimizer, double gamma);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;

private:
    double gamma_;
};

}  // namespace descent::optim
