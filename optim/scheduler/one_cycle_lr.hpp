// OneCycleLR: the 1cycle policy, stepped once per batch: lr from max_lr/div_factor up to max_lr
// over pct_start of total_steps, then down to max_lr/div_factor/final_div_factor (cosine or linear;
// three_phase: back to the initial lr first), the momentum (SGD's momentum or Adam's β1) cycled
// the other way (torch.optim.lr_scheduler.OneCycleLR). Stepping past total_steps is refused.
#pragma once

#include <string>

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

struct OneCycleLROptions {
    OneCycleLROptions& pct_start(double v) { return pct_start_ = v, *this; }
    OneCycleLROptions& anneal_strategy(std::string v) {
        return anneal_strategy_ = std::move(v), *this;
    }
    OneCycleLROptions& cycle_momentum(bool v) { return cycle_momentum_ = v, *this; }
    OneCycleLROptions& base_momentum(double v) { return base_momentum_ = v, *this; }
    OneCycleLROptions& max_momentum(double v) { return max_momentum_ = v, *this; }
    OneCycleLROptions& div_factor(double v) { return div_factor_ = v, *this; }
    OneCycleLROptions& final_div_factor(double v) { return final_div_factor_ = v, *this; }
    OneCycleLROptions& three_phase(bool v) { return three_phase_ = v, *this; }

    double pct_start_ = 0.3;
    std::string anneal_strategy_ = "cos";  // or "linear"
    bool cycle_momentum_ = true;
    double base_momentum_ = 0.85, max_momentum_ = 0.95;
    double div_factor_ = 25, final_div_factor_ = 1e4;
    bool three_phase_ = false;
};

class OneCycleLR : public LRScheduler {
public:
    // total_steps: the number of scheduler steps (batches) the cycle lasts; max_lr for every group.
    OneCycleLR(Optimizer& optimizer, double max_lr, int64_t total_steps,
               const OneCycleLROptions& options = {});
    // total_steps = epochs · steps_per_epoch, as torch's second form.
    OneCycleLR(Optimizer& optimizer, double max_lr, int64_t epochs, int64_t steps_per_epoch,
               const OneCycleLROptions& options);

protected:
    double lr_at(double base_lr, int64_t epoch) const override;
    std::vector<detail::StateField> hyper_parameters() override;
    void check(const std::string& who) const override;
    void after_lr(int64_t epoch) override;

private:
    struct Phase {
        double end_step;
        int start_lr, end_lr, start_m, end_m;  // 0 initial / base_m, 1 max, 2 min
    };
    std::vector<Phase> phases() const;
    // The phase of `step` and the fraction through it.
    std::pair<const Phase*, double> locate(const std::vector<Phase>& ph, int64_t step) const;
    double anneal(double start, double end, double pct) const;

    double max_lr_;
    int64_t total_steps_;
    OneCycleLROptions o_;
    int64_t linear_;  // the anneal strategy as a state-dict count: 0 cos, 1 linear
};

}  // namespace descent::optim
