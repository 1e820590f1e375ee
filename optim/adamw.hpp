// AdamW: Adam with decoupled weight decay (p shrinks by lr·wd before the Adam step, instead of wd·p
// joining the gradient), exactly as torch.optim.AdamW; weight_decay defaults to 1e-2. Its state is
// Adam's (AdamParamState).
#pragma once

#include "descent/optim/adam.hpp"

namespace descent::optim {

struct AdamWOptions : OptimizerCloneableOptions<AdamWOptions> {
    AdamWOptions(double lr = 1e-3) : lr_(lr) {}

    AdamWOptions& lr(double lr) { return set(lr_, lr); }
    AdamWOptions& betas(const betas_t& betas) { return set(betas_, betas); }
    AdamWOptions& eps(double eps) { return set(eps_, eps); }
    AdamWOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    AdamWOptions& amsgrad(bool amsgrad) { return set(amsgrad_, amsgrad); }
    AdamWOptions& maximize(bool maximize) { return set(maximize_, maximize); }  // ascend instead
    double lr() const { return lr_; }
    const betas_t& betas() const { return betas_; }
    double eps() const { return eps_; }
    double weight_decay() const { return weight_decay_; }
    bool amsgrad() const { return amsgrad_; }
    bool maximize() const { return maximize_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    OptionFields fields() override;

private:
    double lr_;
    betas_t betas_ = {0.9, 0.999};
    double eps_ = 1e-8;
    double weight_decay_ = 1e-2;
    bool amsgrad_ = false;
    bool maximize_ = false;
};

class AdamW : public Optimizer {
public:
    AdamW(std::vector<Tensor> params, const AdamWOptions& defaults = AdamWOptions());
    AdamW(std::vector<OptimizerParamGroup> groups, const AdamWOptions& defaults = AdamWOptions());
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
