// NAdam: Adam with Nesterov momentum and a momentum schedule μ_t = β1·(1 - ½·0.96^(t·ψ)), exactly
// as torch.optim.NAdam 1.13 (lr, betas, eps, weight_decay, momentum_decay; no maximize in 1.13).
#pragma once

#include "descent/optim/adam.hpp"

namespace descent::optim {

struct NAdamOptions : OptimizerCloneableOptions<NAdamOptions> {
    NAdamOptions(double lr = 2e-3) : lr_(lr) {}

    NAdamOptions& lr(double lr) { return set(lr_, lr); }
    NAdamOptions& betas(const betas_t& betas) { return set(betas_, betas); }
    NAdamOptions& eps(double eps) { return set(eps_, eps); }
    NAdamOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    NAdamOptions& momentum_decay(double momentum_decay) {
        return set(momentum_decay_, momentum_decay);
    }
    double lr() const { return lr_; }
    const betas_t& betas() const { return betas_; }
    double eps() const { return eps_; }
    double weight_decay() const { return weight_decay_; }
    double momentum_decay() const { return momentum_decay_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    OptionFields fields() override;

private:
    double lr_;
    betas_t betas_ = {0.9, 0.999};
    double eps_ = 1e-8;
    double weight_decay_ = 0;
    double momentum_decay_ = 4e-3;
};

struct NAdamParamState : OptimizerParamState {
    Tensor exp_avg;     // first moment m
    Tensor exp_avg_sq;  // second moment v
    Tensor mu_product;  // Π μ_i so far: a float32 scalar (shape ()), as torch keeps it
    NamedTensors buffers() const override {
        return {{"exp_avg", exp_avg}, {"exp_avg_sq", exp_avg_sq}, {"mu_product", mu_product}};
    }
};

class NAdam : public Optimizer {
public:
    NAdam(std::vector<Tensor> params, const NAdamOptions& defaults = NAdamOptions());
    NAdam(std::vector<OptimizerParamGroup> groups, const NAdamOptions& defaults = NAdamOptions());
    const NAdamParamState* state(int64_t index) const {
        return static_cast<const NAdamParamState*>(Optimizer::state(index));
    }

protected:
    std::unique_ptr<OptimizerParamState> make_state(const Tensor& param,
                                                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
