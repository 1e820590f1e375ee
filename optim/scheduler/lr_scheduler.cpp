// The scheduler base: remembers the initial lrs, holds the optimizer, and writes the closed form
// into the groups.
#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

void detail::attach_scheduler(Optimizer& optimizer, const char* scheduler) {
    DESCENT_CHECK(optimizer.scheduler() == nullptr, StateError, scheduler, "(): this ",
                  optimizer.name(), " optimizer already has a scheduler (", optimizer.scheduler(),
                  "); schedulers cannot be chained: each sets the lr from its own formula");
    optimizer.set_scheduler(scheduler);
}

void detail::detach_scheduler(Optimizer& optimizer) { optimizer.set_scheduler(nullptr); }

LRScheduler::LRScheduler(Optimizer& optimizer, const char* name)
    : optimizer_(optimizer), name_(name) {
    for (const OptimizerParamGroup& group : optimizer.param_groups())
        base_lrs_.push_back(group.options().get_lr());
}

LRScheduler::~LRScheduler() {
    if (attached_) detail::detach_scheduler(optimizer_);
}

void LRScheduler::start(ClosedForm lr_at) {
    detail::attach_scheduler(optimizer_, name_);
    attached_ = true;
    lr_at_ = std::move(lr_at);
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
        const double lr = lr_at_(base_lrs_[g], last_epoch_);
        groups[g].options().set_lr(lr);
        last_lr_.push_back(lr);
    }
}

}  // namespace descent::optim
