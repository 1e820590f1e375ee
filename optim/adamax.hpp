// Adamax: Adam with the infinity norm in place of the second moment, exactly as
// torch.optim.Adamax 1.13 (lr, betas, eps, weight_decay, maximize).
#pragma once

#include "descent/optim/adam.hpp"

namespace descent::optim {

struct AdamaxOptions : OptimizerCloneableOptions<AdamaxOptions> {
    AdamaxOptions(double lr = 2e-3) : lr_(lr) {}

    AdamaxOptions& lr(double lr) { return set(lr_, lr); }
    AdamaxOptions& betas(const betas_t& betas) { return set(betas_, betas); }
    AdamaxOptions& eps(double eps) { return set(eps_, eps); }
    AdamaxOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    AdamaxOptions& maximize(bool maximize) { return set(maximize_, maximize); }
    double lr() const { return lr_; }
    const betas_t& betas() const { return betas_; }
    double eps() const { return eps_; }
    double weight_decay() const { return weight_decay_; }
    bool maximize() const { return maximize_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    OptionFields fields() override;

private:
    double lr_;
    betas_t betas_ = {0.9, 0.999};
    double eps_ = 1e-8;
    double weight_decay_ = 0;
    bool maximize_ = false;
};

struct AdamaxParamState : OptimizerParamState {
    Tensor exp_avg;  // first moment m
    Tensor exp_inf;  // exponentially weighted infinity norm u
    NamedTensors buffers() const override { return {{"exp_avg", exp_avg}, {"exp_inf", exp_inf}}; }
};

class Adamax : public Optimizer {
public:
    Adamax(std::vector<Tensor> params, const AdamaxOptions& defaults = AdamaxOptions());
    Adamax(std::vector<OptimizerParamGroup> groups,
           const AdamaxOptions& defaults = AdamaxOptions());
    const AdamaxParamState* state(int64_t index) const {
        return static_cast<const AdamaxParamState*>(Optimizer::state(index));
    }

protected:
    std::unique_ptr<OptimizerParamState> make_state(const Tensor& param,
                                                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
