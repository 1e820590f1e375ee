// SequentialLR and ChainedScheduler: schedulers built from others. Each part is given as a
// SchedulerFactory (optim::schedule<ExponentialLR>(0.9)), built on the optimizer and then owned
// and driven by the composite, which alone holds the optimizer.
// SequentialLR (torch.optim.lr_scheduler.SequentialLR): part i runs from milestone i-1, restarted
// at epoch 0 there. ChainedScheduler: every part every epoch, each scaling the lr the previous one
// gave: lr = s_n(...s_1(base_lr, e)..., e); for parts whose lr is base_lr times a factor of the
// epoch (all but the cosine ones with eta_min > 0, OneCycleLR and CyclicLR), torch's product.
#pragma once

#include <functional>
#include <memory>

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

using SchedulerFactory = std::function<std::unique_ptr<LRScheduler>(Optimizer&)>;

// A factory for scheduler S with the arguments after the optimizer.
template <class S, class... Args>
SchedulerFactory schedule(Args... args) {
    return [=](Optimizer& optimizer) { return std::make_unique<S>(optimizer, args...); };
}

// What both composites share: building the parts, and their state under "_schedulers.<i>.".
class CompositeScheduler : public LRScheduler {
protected:
    CompositeScheduler(Optimizer& optimizer, const char* name,
                       const std::vector<SchedulerFactory>& parts);
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;
    double part_lr(size_t part, size_t group, double base_lr, int64_t epoch) const {
        return parts_[part]->group_lr(group, base_lr, epoch);
    }
    void part_after_lr(size_t part, int64_t epoch) { parts_[part]->after_lr(epoch); }
    size_t parts() const { return parts_.size(); }

private:
    std::vector<std::unique_ptr<LRScheduler>> parts_;
};

class SequentialLR : public CompositeScheduler {
public:
    // milestones: one fewer than parts, increasing (ValueError otherwise).
    SequentialLR(Optimizer& optimizer, const std::vector<SchedulerFactory>& schedulers,
                 std::vector<int64_t> milestones);

protected:
    double lr_at(double base_lr, int64_t epoch) const override {
        return group_lr(0, base_lr, epoch);
    }
    double group_lr(size_t group, double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;
    void after_lr(int64_t epoch) override;

private:
    // The part that runs at `epoch` and the epoch it is at.
    std::pair<size_t, int64_t> at(int64_t epoch) const;
    std::vector<int64_t> milestones_;
};

class ChainedScheduler : public CompositeScheduler {
public:
    ChainedScheduler(Optimizer& optimizer, const std::vector<SchedulerFactory>& schedulers);

protected:
    double lr_at(double base_lr, int64_t epoch) const override {
        return group_lr(0, base_lr, epoch);
    }
    double group_lr(size_t group, double base_lr, int64_t epoch) const override;
    void after_lr(int64_t epoch) override;
};

}  // namespace descent::optim
