// CosineAnnealingLR: lr = eta_min + (base_lr - eta_min)·(1 + cos(π·epoch / T_max)) / 2
// (torch.optim.lr_scheduler.CosineAnnealingLR, SGDR without restarts). Past T_max the cosine
// continues, rising again, as in PyTorch.
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class CosineAnnealingLR : public LRScheduler {
public:
    CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0);
    int64_t T_max() const { return T_max_; }
    double eta_min() const { return eta_min_; }

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;

private:
    int64_t T_max_;
    double eta_min_;
};

}  // namespace descent::optim
