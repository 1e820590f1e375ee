// ConstantLR's closed form (torch's _get_closed_form_lr), its hyper-parameters and their checks.
#include "descent/optim/scheduler/constant_lr.hpp"

namespace descent::optim {

ConstantLR::ConstantLR(Optimizer& optimizer, double factor, int64_t total_iters)
    : LRScheduler(optimizer, "ConstantLR"), factor_(factor), total_iters_(total_iters) {
    start();
}

double ConstantLR::lr_at(double base_lr, int64_t epoch) const {
    return base_lr * (factor_ + (epoch >= total_iters_ ? 1 - factor_ : 0.0));
}

std::vector<detail::StateField> ConstantLR::hyper_parameters() {
    return {detail::number_field("factor", factor_),
            detail::count_field("total_iters", total_iters_)};
}

void ConstantLR::check(const std::string& who) const {
    require(who, factor_ >= 0 && factor_ <= 1, "factor", "in [0, 1]", factor_);
    require(who, total_iters_ >= 0, "total_iters", ">= 0", total_iters_);
}

}  // namespace descent::optim
