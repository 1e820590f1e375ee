// The composite schedulers: each part built (and released: the composite holds the optimizer),
// SequentialLR's choice of part by milestone, ChainedScheduler's nesting, and their state dicts.
#include "descent/optim/scheduler/sequential_lr.hpp"

#include <algorithm>

namespace descent::optim {

CompositeScheduler::CompositeScheduler(Optimizer& optimizer, const char* name,
                                       const std::vector<SchedulerFactory>& parts)
    : LRScheduler(optimizer, name) {
    DESCENT_CHECK(!parts.empty(), ValueError, name, "(): expected at least one scheduler");
    for (size_t i = 0; i < parts.size(); ++i) {
        std::unique_ptr<LRScheduler> part = parts[i](optimizer);
        DESCENT_CHECK(part != nullptr, ValueError, name, "(): scheduler ", i, " is none");
        part->release();
        parts_.push_back(std::move(part));
    }
    // The parts' construction wrote their epoch-0 lrs: put the initial ones back for start().
    for (size_t g = 0; g < optimizer.param_groups().size(); ++g)
        optimizer.param_groups()[g].options().set_lr(base_lrs()[g]);
}

std::vector<detail::StateField> CompositeScheduler::hyper_parameters() {
    std::vector<detail::StateField> f;
    for (size_t i = 0; i < parts_.size(); ++i)
        for (detail::StateField field : parts_[i]->hyper_parameters()) {
            field.key = "_schedulers." + std::to_string(i) + "." + field.key;
            f.push_back(std::move(field));
        }
    return f;
}

void CompositeScheduler::check(const std::string& who) const {
    for (const auto& part : parts_) part->check(who);
}

SequentialLR::SequentialLR(Optimizer& optimizer, const std::vector<SchedulerFactory>& schedulers,
                           std::vector<int64_t> milestones)
    : CompositeScheduler(optimizer, "SequentialLR", schedulers),
      milestones_(std::move(milestones)) {
    start();
}

std::pair<size_t, int64_t> SequentialLR::at(int64_t epoch) const {
    // bisect_right: the parts before milestones <= epoch are done
    const size_t i = static_cast<size_t>(
        std::upper_bound(milestones_.begin(), milestones_.end(), epoch) - milestones_.begin());
    return {i, i == 0 ? epoch : epoch - milestones_[i - 1]};
}

double SequentialLR::group_lr(size_t group, double base_lr, int64_t epoch) const {
    const auto [part, e] = at(epoch);
    return part_lr(part, group, base_lr, e);
}

void SequentialLR::after_lr(int64_t epoch) {
    const auto [part, e] = at(epoch);
    part_after_lr(part, e);
}

std::vector<detail::StateField> SequentialLR::hyper_parameters() {
    std::vector<detail::StateField> f = {detail::list_field("_milestones", milestones_)};
    for (detail::StateField& field : CompositeScheduler::hyper_parameters())
        f.push_back(std::move(field));
    return f;
}

void SequentialLR::check(const std::string& who) const {
    require(who, milestones_.size() + 1 == parts(), "the number of milestones",
            descent::detail::cat("one fewer than the schedulers (", parts(), ")").c_str(),
            milestones_.size());
    for (size_t i = 0; i < milestones_.size(); ++i) {
        require(who, milestones_[i] > 0, "each milestone", "> 0", milestones_[i]);
        if (i > 0)
            require(who, milestones_[i] > milestones_[i - 1], "milestones", "increasing",
                    descent::detail::cat(milestones_[i - 1], " then ", milestones_[i]));
    }
    CompositeScheduler::check(who);
}

ChainedScheduler::ChainedScheduler(Optimizer& optimizer,
                                   const std::vector<SchedulerFactory>& schedulers)
    : CompositeScheduler(optimizer, "ChainedScheduler", schedulers) {
    start();
}

double ChainedScheduler::group_lr(size_t group, double base_lr, int64_t epoch) const {
    double lr = base_lr;
    for (size_t i = 0; i < parts(); ++i) lr = part_lr(i, group, lr, epoch);
    return lr;
}

void ChainedScheduler::after_lr(int64_t epoch) {
    for (size_t i = 0; i < parts(); ++i) part_after_lr(i, epoch);
}

}  // namespace descent::optim
