// MultiplicativeLR's closed form (the product of the factors so far) and its check.
#include "descent/optim/scheduler/multiplicative_lr.hpp"

namespace descent::optim {

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, LRLambda lr_lambda)
    : MultiplicativeLR(optimizer,
                       std::vector<LRLambda>(optimizer.param_groups().size(), lr_lambda)) {}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas)
    : LRScheduler(optimizer, "MultiplicativeLR"), lambdas_(std::move(lr_lambdas)) {
    start();
}

double MultiplicativeLR::lr_at(double base_lr, int64_t epoch) const {
    return group_lr(0, base_lr, epoch);
}

double MultiplicativeLR::group_lr(size_t group, double base_lr, int64_t epoch) const {
    const LRLambda& f = lambdas_[group < lambdas_.size() ? group : 0];
    double lr = base_lr;
    for (int64_t e = 1; e <= epoch; ++e) lr = lr * f(e);
    return lr;
}

void MultiplicativeLR::check(const std::string& who) const {
    const size_t groups = optimizer().param_groups().size();
    require(who, lambdas_.size() == groups, "the number of lr_lambdas",
            descent::detail::cat("one per parameter group (", groups, ")").c_str(),
            lambdas_.size());
    for (size_t g = 0; g < lambdas_.size(); ++g)
        require(who, static_cast<bool>(lambdas_[g]), "lr_lambda", "a function", "none");
}

}  // namespace descent::optim
