// LRScheduler: the base of the epoch-based learning-rate schedulers. Each derived class gives the
// closed form lr(base_lr, epoch) that PyTorch documents; step() advances the epoch and writes that
// lr into every parameter group. As in PyTorch, constructing a scheduler applies epoch 0.
#pragma once

#include <cstdint>
#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

class LRScheduler {
public:
    explicit LRScheduler(Optimizer& optimizer);
    virtual ~LRScheduler() = default;

    void step();  // call once per epoch, after the epoch's optimizer steps
    const std::vector<double>& get_last_lr() const { return last_lr_; }
    int64_t last_epoch() const { return last_epoch_; }
    // Each group's lr when the scheduler was built, which the closed forms scale.
    const std::vector<double>& base_lrs() const { return base_lrs_; }

protected:
    // The lr of a group whose initial lr was base_lr, at `epoch` (>= 0).
    virtual double lr_at(double base_lr, int64_t epoch) const = 0;
    // Applies epoch 0; the derived constructor calls it once its members are set.
    void start();

private:
    void apply();

    Optimizer& optimizer_;
    std::vector<double> base_lrs_, last_lr_;
    int64_t last_epoch_ = -1;
};

}  // namespace descent::optim
