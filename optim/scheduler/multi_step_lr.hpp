// MultiStepLR: lr = base_lr · gamma^(number of milestones <= epoch)
// (torch.optim.lr_scheduler.MultiStepLR; a milestone listed twice counts twice, as there).
#pragma once

#include <vector>

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class MultiStepLR : public LRScheduler {
public:
    MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma = 0.1);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;

private:
    std::vector<int64_t> milestones_;  // sorted
    double gamma_;
};

}  // namespace descent::optim
