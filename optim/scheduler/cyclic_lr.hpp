// CyclicLR: the lr cycles between base_lr and max_lr, step_size_up steps up and step_size_down
// down, stepped once per batch; "triangular" keeps the amplitude, "triangular2" halves it each
// cycle, "exp_range" scales it by gamma^step; the momentum cycles the other way between
// max_momentum and base_momentum (torch.optim.lr_scheduler.CyclicLR: its group lr is set to
// base_lr).
#pragma once

#include <string>

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

struct CyclicLROptions {
    CyclicLROptions& step_size_up(int64_t v) { return step_size_up_ = v, *this; }
    CyclicLROptions& step_size_down(int64_t v) { return step_size_down_ = v, *this; }  // -1: = up
    CyclicLROptions& mode(std::string v) { return mode_ = std::move(v), *this; }
    CyclicLROptions& gamma(double v) { return gamma_ = v, *this; }
    CyclicLROptions& cycle_momentum(bool v) { return cycle_momentum_ = v, *this; }
    CyclicLROptions& base_momentum(double v) { return base_momentum_ = v, *this; }
    CyclicLROptions& max_momentum(double v) { return max_momentum_ = v, *this; }

    int64_t step_size_up_ = 2000, step_size_down_ = -1;
    std::string mode_ = "triangular";  // "triangular2", "exp_range"
    double gamma_ = 1.0;
    bool cycle_momentum_ = true;
    double base_momentum_ = 0.8, max_momentum_ = 0.9;
};

class CyclicLR : public LRScheduler {
public:
    CyclicLR(Optimizer& optimizer, double base_lr, double max_lr,
             const CyclicLROptions& options = {});

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;
    void after_lr(int64_t epoch) override;

private:
    // (scale factor, amplitude scale) at `step`, as torch's get_lr.
    std::pair<double, double> where(int64_t step) const;

    double base_lr_, max_lr_;
    CyclicLROptions o_;
    int64_t mode_;  // the mode as a state-dict count: 0 triangular, 1 triangular2, 2 exp_range
};

}  // namespace descent::optim
