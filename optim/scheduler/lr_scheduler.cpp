// The scheduler base: remembers the initial lrs, holds the optimizer, writes the closed form into
// the groups, and saves and loads its fields.
#include "descent/optim/scheduler/lr_scheduler.hpp"

#include <cmath>

#include "descent/core/warning.hpp"

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

void LRScheduler::start() {
    check(std::string(name_) + "()");
    detail::attach_scheduler(optimizer_, name_);
    attached_ = true;
    apply(0);
}

void LRScheduler::release() {
    if (attached_) detail::detach_scheduler(optimizer_);
    attached_ = false;
}

void LRScheduler::jump_to(int64_t epoch) { apply(epoch); }

void LRScheduler::step() {
    if (last_epoch_ == 0 && optimizer_.step_count() == 0)
        descent::detail::warn_once(
            "scheduler_before_optimizer",
            descent::detail::cat(name_, ".step() was called before any ", optimizer_.name(),
                                 ".step(): the first value of the schedule is skipped; call "
                                 "optimizer.step() before scheduler.step() (this warning is "
                                 "given once)"));
    apply(last_epoch_ + 1);
}

void LRScheduler::apply(int64_t epoch) {
    std::vector<OptimizerParamGroup>& groups = optimizer_.param_groups();
    DESCENT_CHECK(groups.size() == base_lrs_.size(), StateError,
                  "LRScheduler::step(): the optimizer has ", groups.size(),
                  " parameter groups, but had ", base_lrs_.size(),
                  " when the scheduler was built; build a new scheduler after add_param_group");
    std::vector<double> lrs;
    for (size_t g = 0; g < groups.size(); ++g) lrs.push_back(group_lr(g, base_lrs_[g], epoch));
    last_epoch_ = epoch;
    last_lr_ = lrs;
    for (size_t g = 0; g < groups.size(); ++g) groups[g].options().set_lr(lrs[g]);
    after_lr(epoch);
}

std::vector<detail::StateField> LRScheduler::fields() {
    std::vector<detail::StateField> f = hyper_parameters();
    f.push_back(detail::per_group_field("base_lrs", base_lrs_));
    f.push_back(detail::count_field("last_epoch", last_epoch_));
    f.push_back(detail::per_group_field("_last_lr", last_lr_));
    return f;
}

NamedTensors LRScheduler::state_dict() const {
    return detail::fields_state_dict(const_cast<LRScheduler*>(this)->fields());  // only read
}

void LRScheduler::load_state_dict(const NamedTensors& dict) {
    const std::string who = std::string(name_) + ".load_state_dict()";
    const auto groups = static_cast<int64_t>(optimizer_.param_groups().size());
    detail::load_fields(who, fields(), groups, dict, [&] {
        check(who);  // first: the closed form below needs valid hyper-parameters
        for (size_t g = 0; g < base_lrs_.size(); ++g) {
            DESCENT_CHECK(std::isfinite(base_lrs_[g]) && base_lrs_[g] >= 0, ValueError, who,
                          ": base_lrs[", g, "] must be finite and >= 0, got ", base_lrs_[g]);
            // Recomputed by the same code, the lr is the same double; the tolerance only allows
            // for another libm's last bit.
            const double expected = group_lr(g, base_lrs_[g], last_epoch_);
            DESCENT_CHECK(std::fabs(last_lr_[g] - expected) <= 1e-12 * std::fabs(expected),
                          ValueError, who, ": _last_lr[", g, "] is ", last_lr_[g],
                          ", but the schedule gives ", expected, " at last_epoch ", last_epoch_);
        }
    });
}

}  // namespace descent::optim
