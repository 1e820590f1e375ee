// Adagrad: each coordinate's step divided by the root of its summed squared gradients, with an
// optional learning-rate decay over steps, exactly as torch.optim.Adagrad.
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

struct AdagradOptions : OptimizerCloneableOptions<AdagradOptions> {
    AdagradOptions(double lr = 1e-2) : lr_(lr) {}
    DESCENT_OPTION(double, lr);
    DESCENT_OPTION(double, lr_decay) = 0;
    DESCENT_OPTION(double, weight_decay) = 0;
    DESCENT_OPTION(double, initial_accumulator_value) = 0;
    DESCENT_OPTION(double, eps) = 1e-10;

public:
    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    void check(const std::string& optimizer) const override;
    OptionFields fields() override;
};

class Adagrad : public Optimizer {
public:
    Adagrad(std::vector<Tensor> params, AdagradOptions defaults = {});
    Adagrad(std::vector<OptimizerParamGroup> groups, AdagradOptions defaults = {});
    const char* name() const override { return "Adagrad"; }

protected:
    bool accepts(const OptimizerOptions& options) const override;
    void init_state(ParamState& state, const Tensor& param,
                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, ParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
