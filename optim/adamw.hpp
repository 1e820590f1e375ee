// AdamW: Adam with decoupled weight decay (p shrinks by lr·wd before the Adam step, instead of wd·p
// joining the gradient), exactly as torch.optim.AdamW; weight_decay defaults to 1e-2.
#pragma once

#include "descent/optim/adam.hpp"

namespace descent::optim {

struct AdamWOptions : OptimizerCloneableOptions<AdamWOptions> {
    AdamWOptions(double lr = 1e-3) : lr_(lr) {}
    DESCENT_OPTION(double, lr);
    DESCENT_OPTION(betas_t, betas) = std::make_tuple(0.9, 0.999);
    DESCENT_OPTION(double, eps) = 1e-8;
    DESCENT_OPTION(double, weight_decay) = 1e-2;
    DESCENT_OPTION(bool, amsgrad) = false;

public:
    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    void check(const std::string& optimizer) const override;
    OptionFields fields() override;
};

class AdamW : public detail::AdamFamily<AdamWOptions, /*Decoupled=*/true> {
public:
    AdamW(std::vector<Tensor> params, AdamWOptions defaults = {})
        : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
                defaults) {}
    AdamW(std::vector<OptimizerParamGroup> groups, AdamWOptions defaults = {})
        : AdamFamily(defaults) {
        add_param_groups(std::move(groups));
    }
    const char* name() const override { return "AdamW"; }
};

}  // namespace descent::optim
