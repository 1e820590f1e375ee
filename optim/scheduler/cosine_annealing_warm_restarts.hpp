// CosineAnnealingWarmRestarts (SGDR): cosine annealing from base_lr to eta_min over T_i epochs,
// then a restart with T_i multiplied by T_mult
// (torch.optim.lr_scheduler.CosineAnnealingWarmRestarts). step(epoch) goes to any epoch, fractional
// too (a step per batch: epoch + batch / batches).
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class CosineAnnealingWarmRestarts : public LRScheduler {
public:
    CosineAnnealingWarmRestarts(Optimizer& optimizer, int64_t T_0, int64_t T_mult = 1,
                                double eta_min = 0);

    using LRScheduler::step;
    // Goes to `epoch` (>= 0; ValueError otherwise): last_epoch becomes ⌊epoch⌋, and the fraction
    // stays for the steps after, as torch's T_cur.
    void step(double epoch);
    double T_cur() const;  // epochs since the last restart
    int64_t T_i() const;   // length of the current period

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;

private:
    // (T_cur, T_i) at epoch + fraction_.
    std::pair<double, int64_t> position(int64_t epoch) const;

    int64_t T_0_, T_mult_;
    double eta_min_;
    double fraction_ = 0;  // of the epoch last given to step(epoch)
};

}  // namespace descent::optim
