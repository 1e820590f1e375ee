// LambdaLR's closed form and its check.
#include "descent/optim/scheduler/lambda_lr.hpp"

namespace descent::optim {

LambdaLR::LambdaLR(Optimizer& optimizer, LRLambda lr_lambda)
    : LambdaLR(optimizer, std::vector<LRLambda>(optimizer.param_groups().size(), lr_lambda)) {}

LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<LRLambda> lr_lambdas)
    : LRScheduler(optimizer, "LambdaLR"), lambdas_(std::move(lr_lambdas)) {
    start();
}

double LambdaLR::lr_at(double base_lr, int64_t epoch) const { return group_lr(0, base_lr, epoch); }

double LambdaLR::group_lr(size_t group, double base_lr, int64_t epoch) const {
    return base_lr * lambdas_[group < lambdas_.size() ? group : 0](epoch);
}

void LambdaLR::check(const std::string& who) const {
    const size_t groups = optimizer().param_groups().size();
    require(who, lambdas_.size() == groups, "the number of lr_lambdas",
            descent::detail::cat("one per parameter group (", groups, ")").c_str(),
            lambdas_.size());
    for (size_t g = 0; g < lambdas_.size(); ++g)
        require(who, static_cast<bool>(lambdas_[g]), "lr_lambda", "a function", "none");
}

}  // namespace descent::optim
