// LambdaLR: lr = base_lr · λ(epoch), a function the caller gives, one for all groups or one per
// group (torch.optim.lr_scheduler.LambdaLR). The functions are code: a state dict holds only the
// epoch and the lrs, as torch's does for plain functions.
#pragma once

#include <functional>

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

using LRLambda = std::function<double(int64_t epoch)>;

class LambdaLR : public LRScheduler {
public:
    LambdaLR(Optimizer& optimizer, LRLambda lr_lambda);
    // One function per parameter group (ValueError for another count).
    LambdaLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;  // with the first function
    double group_lr(size_t group, double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override { return {}; }
    void check(const std::string& who) const override;

private:
    std::vector<LRLambda> lambdas_;
};

}  // namespace descent::optim
