// Adam: adaptive moment estimation with bias correction, optional AMSGrad and L2 weight decay
// added to the gradient, exactly as torch.optim.Adam. (AdamW, with decoupled decay: adamw.hpp.)
#pragma once

#include <tuple>

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

using betas_t = std::tuple<double, double>;  // (β1, β2), as libtorch

struct AdamOptions : OptimizerCloneableOptions<AdamOptions> {
    AdamOptions(double lr = 1e-3) : lr_(lr) {}
    DESCENT_OPTION(double, lr);
    DESCENT_OPTION(betas_t, betas) = std::make_tuple(0.9, 0.999);
    DESCENT_OPTION(double, eps) = 1e-8;
    DESCENT_OPTION(double, weight_decay) = 0;
    DESCENT_OPTION(bool, amsgrad) = false;

public:
    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    void check(const std::string& optimizer) const override;
    OptionFields fields() override;
};

namespace detail {
// The hyper-parameters of one Adam/AdamW update. `decoupled` selects AdamW's decay.
struct AdamStep {
    double lr, beta1, beta2, eps, weight_decay;
    bool amsgrad, decoupled;
};
// Checks shared by AdamOptions and AdamWOptions.
void check_adam(const std::string& optimizer, double lr, double beta1, double beta2, double eps,
                double weight_decay);
// The moments Adam and AdamW keep: exp_avg, exp_avg_sq and, with amsgrad, max_exp_avg_sq.
void init_adam_state(ParamState& state, const Tensor& param, bool amsgrad);
// The fused update shared by Adam and AdamW.
void adam_update(Tensor& param, const Tensor& grad, ParamState& state, const AdamStep& h);

// Adam and AdamW as optimizers: the same state and update, told apart by their options type and
// whether weight decay is decoupled.
template <class Options, bool Decoupled>
class AdamFamily : public Optimizer {
protected:
    // The derived class adds the groups: add_param_groups calls name(), which it defines.
    explicit AdamFamily(const Options& defaults) : Optimizer(std::make_unique<Options>(defaults)) {}
    bool accepts(const OptimizerOptions& options) const override {
        return dynamic_cast<const Options*>(&options) != nullptr;
    }
    void init_state(ParamState& state, const Tensor& param,
                    const OptimizerOptions& options) const override {
        init_adam_state(state, param, static_cast<const Options&>(options).amsgrad());
    }
    void update(Tensor& param, const Tensor& grad, ParamState& state,
                const OptimizerOptions& options) override {
        const auto& o = static_cast<const Options&>(options);
        adam_update(param, grad, state,
                    {o.lr(), std::get<0>(o.betas()), std::get<1>(o.betas()), o.eps(),
                     o.weight_decay(), o.amsgrad(), Decoupled});
    }
};
}  // namespace detail

class Adam : public detail::AdamFamily<AdamOptions, /*Decoupled=*/false> {
public:
    Adam(std::vector<Tensor> params, AdamOptions defaults = {})
        : Adam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {
    }
    Adam(std::vector<OptimizerParamGroup> groups, AdamOptions defaults = {})
        : AdamFamily(defaults) {
        add_param_groups(std::move(groups));
    }
    const char* name() const override { return "Adam"; }
};

}  // namespace descent::optim
