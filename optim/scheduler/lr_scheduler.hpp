// LRScheduler: the base of the epoch-based learning-rate schedulers. Each derived class checks its
// arguments and gives the closed form lr(base_lr, epoch) that PyTorch documents; step() advances
// the epoch and writes that lr into every parameter group. As in PyTorch, constructing a scheduler
// applies epoch 0. One scheduler per optimizer: a second is refused, since each sets the lr from
// its own closed form and they would overwrite each other (PyTorch's chaining is not supported).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/optim/optimizer.hpp"

namespace descent::optim {

class LRScheduler {
public:
    // The lr of a group whose initial lr was base_lr, at `epoch` (>= 0).
    using ClosedForm = std::function<double(double base_lr, int64_t epoch)>;

    virtual ~LRScheduler();
    LRScheduler(const LRScheduler&) = delete;
    LRScheduler& operator=(const LRScheduler&) = delete;

    void step();  // call once per epoch, after the epoch's optimizer steps
    const std::vector<double>& get_last_lr() const { return last_lr_; }
    int64_t last_epoch() const { return last_epoch_; }
    // Each group's lr when the scheduler was built, which the closed forms scale.
    const std::vector<double>& base_lrs() const { return base_lrs_; }
    const char* name() const { return name_; }

protected:
    LRScheduler(Optimizer& optimizer, const char* name);
    // Throws ValueError "<name>(): <arg> must be <rule>, got <value>" unless ok.
    template <class T>
    void require(bool ok, const char* arg, const char* rule, const T& value) const {
        DESCENT_CHECK(ok, ValueError, name_, "(): ", arg, " must be ", rule, ", got ", value);
    }
    // Takes the optimizer (StateError if another scheduler has it) and applies epoch 0; the
    // derived constructor calls it once its arguments are checked.
    void start(ClosedForm lr_at);

private:
    void apply();

    Optimizer& optimizer_;
    const char* name_;
    ClosedForm lr_at_;
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
