// LRScheduler: the base of the epoch-based lr schedulers. Each derived class holds and checks its
// arguments and gives PyTorch's closed form lr(base_lr, epoch); step() writes it into every group.
// Construction applies epoch 0, as PyTorch; state_dict() has PyTorch's fields. One scheduler per
// optimizer: each sets the lr from its own formula, so a second would overwrite the first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/named_tensors.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/optim/state_fields.hpp"

namespace descent::optim {

class LRScheduler {
public:
    virtual ~LRScheduler();
    LRScheduler(const LRScheduler&) = delete;
    LRScheduler& operator=(const LRScheduler&) = delete;

    void step();  // call once per epoch, after the epoch's optimizer steps
    const std::vector<double>& get_last_lr() const { return last_lr_; }
    int64_t last_epoch() const { return last_epoch_; }
    // Each group's lr when the scheduler was built, which the closed forms scale.
    const std::vector<double>& base_lrs() const { return base_lrs_; }
    const char* name() const { return name_; }

    // The hyper-parameters by PyTorch's names (step_size, gamma, ...), then base_lrs (groups, 3),
    // last_epoch () and _last_lr (groups, 3); doubles as exact (hi, mid, lo) triples
    // (docs/optim.md).
    NamedTensors state_dict() const;
    // Takes every field of `dict`, which must come from a scheduler of the same kind over an
    // optimizer with as many groups. StateError for a missing, unexpected or malformed key;
    // ValueError for a hyper-parameter out of range, a negative or non-finite lr, or a _last_lr
    // that is not the schedule's lr at last_epoch. On refusal nothing changes. The optimizer's lrs
    // are not touched: they come back with its own state dict.
    void load_state_dict(const NamedTensors& dict);

protected:
    LRScheduler(Optimizer& optimizer, const char* name);
    // The lr of a group whose initial lr was base_lr, at `epoch` (>= 0).
    virtual double lr_at(double base_lr, int64_t epoch) const = 0;
    // The lr of group `group` at `epoch`: lr_at, unless the schedule differs by group (LambdaLR's
    // per-group functions).
    virtual double group_lr(size_t /*group*/, double base_lr, int64_t epoch) const {
        return lr_at(base_lr, epoch);
    }
    // The hyper-parameters as state-dict fields pointing into the derived class.
    virtual std::vector<detail::StateField> hyper_parameters() = 0;
    // Throws ValueError "<who>: <arg> must be <rule>, got <value>" for a hyper-parameter out of
    // range; `who` is "StepLR()" from the constructor, "StepLR.load_state_dict()" on a load.
    virtual void check(const std::string& who) const = 0;
    // Called after the lrs of `epoch` are written: what else the schedule drives (OneCycleLR's and
    // CyclicLR's momentum). Nothing by default.
    virtual void after_lr(int64_t /*epoch*/) {}
    Optimizer& optimizer() const { return optimizer_; }
    // Goes to `epoch` (CosineAnnealingWarmRestarts.step(epoch)): computes its lrs, then commits.
    void jump_to(int64_t epoch);
    template <class T>
    void require(const std::string& who, bool ok, const char* arg, const char* rule,
                 const T& value) const {
        DESCENT_CHECK(ok, ValueError, who, ": ", arg, " must be ", rule, ", got ", value);
    }
    // Checks the hyper-parameters, takes the optimizer (StateError if another scheduler has it)
    // and applies epoch 0; the derived constructor calls it once its members are set.
    void start();

private:
    // The lrs of `epoch` are computed first (lr_at may refuse it: OneCycleLR past total_steps),
    // then written with last_epoch: a refused step changes nothing.
    void apply(int64_t epoch);
    std::vector<detail::StateField> fields();
    // Gives the optimizer back (a composite scheduler owns this one and drives it itself).
    void release();
    friend class CompositeScheduler;  // sequential_lr.hpp

    Optimizer& optimizer_;
    const char* name_;
    bool attached_ = false;
    std::vector<double> base_lrs_, last_lr_;
    int64_t last_epoch_ = -1;
};

namespace detail {
// The one-scheduler-per-optimizer rule, shared with ReduceLROnPlateau.
void attach_scheduler(Optimizer& optimizer, const char* scheduler);
void detach_scheduler(Optimizer& optimizer);
}  // namespace detail

}  // namespace descent::optim
