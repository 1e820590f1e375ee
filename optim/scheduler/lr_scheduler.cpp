// The scheduler base: remembers the initial lrs and writes the closed form into the groups.
#include "descent/optim/scheduler/lr_scheduler.hpp"

#include "descent/core/error.hpp"

namespace descent::optim {

LRScheduler::LRScheduler(Optimizer& optimizer) : optimizer_(optimizer) {
    for (const OptimizerParamGroup& group : optimizer.param_groups())
        base_lrs_.push_back(group.options().get_lr());
}

void LRScheduler::start() {
    last_epoch_ = 0;
    apply();
}

void LRScheduler::step() {
    ++last_epoch_;
    apply();
}

void LRScheduler::apply() {
    std::vector<OptimizerParamGroup>& groups = optimizer_.param_groups();
    DESCENT_CHECK(groups.size() == base_lrs_.size(), StateError,
                  "LRScheduler::step(): the optimizer has ", groups.size(),
                  " parameter groups, but had ", base_lrs_.size(),
                  " when the scheduler was built; build a new scheduler after add_param_group");
    last_lr_.clear();
    for (size_t g = 0; g < groups.size(); ++g) {
        const double lr = lr_at(base_lrs_[g], last_epoch_);
        groups[g].options().set_lr(lr);
        last_lr_.push_back(lr);
    }
}

}  // namespace descent::optim
