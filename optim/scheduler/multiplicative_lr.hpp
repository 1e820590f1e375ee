// MultiplicativeLR: each epoch multiplies the lr by λ(epoch), a function the caller gives (one for
// all groups or one per group): lr = base_lr · λ(1) · ... · λ(epoch), multiplied in that order as
// torch's group['lr'] * λ(epoch) (torch.optim.lr_scheduler.MultiplicativeLR). A state dict holds
// the epoch.
#pragma once

#include "descent/optim/scheduler/lambda_lr.hpp"

namespace descent::optim {

class MultiplicativeLR : public LRScheduler {
public:
    MultiplicativeLR(Optimizer& optimizer, LRLambda lr_lambda);
    // One function per parameter group (ValueError for another count).
    MultiplicativeLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;  // with the first function
    double group_lr(size_t group, double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override { return {}; }
    void check(const std::string& who) const override;

private:
    std::vector<LRLambda> lambdas_;
};

}  // namespace descent::optim
