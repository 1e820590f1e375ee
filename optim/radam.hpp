// RAdam: Adam with its variance rectified (Liu et al. 2019): plain momentum SGD while the
// approximated SMA length ρ_t is <= 5, exactly as torch.optim.RAdam 1.13 (no maximize in 1.13).
#pragma once

#include "descent/optim/adam.hpp"

namespace descent::optim {

struct RAdamOptions : OptimizerCloneableOptions<RAdamOptions> {
    RAdamOptions(double lr = 1e-3) : lr_(lr) {}

    RAdamOptions& lr(double lr) { return set(lr_, lr); }
    RAdamOptions& betas(const betas_t& betas) { return set(betas_, betas); }
    RAdamOptions& eps(double eps) { return set(eps_, eps); }
    RAdamOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    double lr() const { return lr_; }
    const betas_t& betas() const { return betas_; }
    double eps() const { return eps_; }
    double weight_decay() const { return weight_decay_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    OptionFields fields() override;

private:
    double lr_;
    betas_t betas_ = {0.9, 0.999};
    double eps_ = 1e-8;
    double weight_decay_ = 0;
};

// RAdam's state is Adam's without AMSGrad: exp_avg and exp_avg_sq (max_exp_avg_sq stays undefined).
class RAdam : public Optimizer {
public:
    RAdam(std::vector<Tensor> params, const RAdamOptions& defaults = RAdamOptions());
    RAdam(std::vector<OptimizerParamGroup> groups, const RAdamOptions& defaults = RAdamOptions());
    const AdamParamState* state(int64_t index) const {
        return static_cast<const AdamParamState*>(Optimizer::state(index));
    }

protected:
    std::unique_ptr<OptimizerParamState> make_state(const Tensor& param,
                                                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
