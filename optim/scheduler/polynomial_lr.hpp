// PolynomialLR: lr = base_lr · (1 - min(epoch, total_iters) / total_iters)^power, reaching 0 at
// total_iters (torch.optim.lr_scheduler.PolynomialLR).
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class PolynomialLR : public LRScheduler {
public:
    PolynomialLR(Optimizer& optimizer, int64_t total_iters = 5, double power = 1.0);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;

private:
    int64_t total_iters_;
    double power_;
};

}  // namespace descent::optim
