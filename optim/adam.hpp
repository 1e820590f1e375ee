// Adam: adaptive moment estimation with bias correction, optional AMSGrad and L2 weight decay
// added to the gradient, exactly as torch.optim.Adam. (AdamW, with decoupled decay: adamw.hpp.)
#pragma once

#include <tuple>

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

using betas_t = std::tuple<double, double>;  // (β1, β2), as libtorch

struct AdamOptions : OptimizerCloneableOptions<AdamOptions> {
    AdamOptions(double lr = 1e-3) : lr_(lr) {}

    AdamOptions& lr(double lr) { return set(lr_, lr); }
    AdamOptions& betas(const betas_t& betas) { return set(betas_, betas); }
    AdamOptions& eps(double eps) { return set(eps_, eps); }
    AdamOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    AdamOptions& amsgrad(bool amsgrad) { return set(amsgrad_, amsgrad); }
    AdamOptions& maximize(bool maximize) { return set(maximize_, maximize); }  // ascend instead
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
    double weight_decay_ = 0;
    bool amsgrad_ = false;
    bool maximize_ = false;
};

// Adam's and AdamW's state.
struct AdamParamState : OptimizerParamState {
    Tensor exp_avg;         // first moment m
    Tensor exp_avg_sq;      // second moment v
    Tensor max_exp_avg_sq;  // with amsgrad only: the running maximum of v
    NamedTensors buffers() const override {
        return {
            {"exp_avg", exp_avg}, {"exp_avg_sq", exp_avg_sq}, {"max_exp_avg_sq", max_exp_avg_sq}};
    }
};

class Adam : public Optimizer {
public:
    Adam(std::vector<Tensor> params, const AdamOptions& defaults = AdamOptions());
    Adam(std::vector<OptimizerParamGroup> groups, const AdamOptions& defaults = AdamOptions());
    const AdamParamState* state(int64_t index) const {
        return static_cast<const AdamParamState*>(Optimizer::state(index));
    }

protected:
    std::unique_ptr<OptimizerParamState> make_state(const Tensor& param,
                                                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                const OptimizerOptions& options) override;
};

namespace detail {
// A new Adam or AdamW state: zero moments, and zero max_exp_avg_sq with amsgrad.
std::unique_ptr<AdamParamState> make_adam_state(const Tensor& param, bool amsgrad);
}  // namespace detail

}  // namespace descent::optim
