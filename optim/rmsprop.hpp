// RMSprop: the gradient divided by a running root mean square, optionally centered (divided by
// the running standard deviation) and with momentum, exactly as torch.optim.RMSprop.
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

struct RMSpropOptions : OptimizerCloneableOptions<RMSpropOptions> {
    RMSpropOptions(double lr = 1e-2) : lr_(lr) {}
    DESCENT_OPTION(double, lr);
    DESCENT_OPTION(double, alpha) = 0.99;
    DESCENT_OPTION(double, eps) = 1e-8;
    DESCENT_OPTION(double, weight_decay) = 0;
    DESCENT_OPTION(double, momentum) = 0;
    DESCENT_OPTION(bool, centered) = false;

public:
    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    void check(const std::string& optimizer) const override;
    OptionFields fields() override;
};

class RMSprop : public Optimizer {
public:
    RMSprop(std::vector<Tensor> params, RMSpropOptions defaults = {});
    RMSprop(std::vector<OptimizerParamGroup> groups, RMSpropOptions defaults = {});
    const char* name() const override { return "RMSprop"; }

protected:
    bool accepts(const OptimizerOptions& options) const override;
    void init_state(ParamState& state, const Tensor& param,
                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, ParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
