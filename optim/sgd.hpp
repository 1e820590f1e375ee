// SGD: stochastic gradient descent with optional momentum (heavy-ball or Nesterov), dampening and
// L2 weight decay, exactly as torch.optim.SGD. Update rules: docs/optim.md.
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

struct SGDOptions : OptimizerCloneableOptions<SGDOptions> {
    SGDOptions(double lr) : lr_(lr) {}  // implicit, so SGD(params, 0.1) reads as in libtorch
    DESCENT_OPTION(double, lr);
    DESCENT_OPTION(double, momentum) = 0;
    DESCENT_OPTION(double, dampening) = 0;
    DESCENT_OPTION(double, weight_decay) = 0;
    DESCENT_OPTION(bool, nesterov) = false;

public:
    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    void check(const std::string& optimizer) const override;
    OptionFields fields() override;
};

class SGD : public Optimizer {
public:
    SGD(std::vector<Tensor> params, SGDOptions defaults);
    SGD(std::vector<OptimizerParamGroup> groups, SGDOptions defaults);
    const char* name() const override { return "SGD"; }

protected:
    bool accepts(const OptimizerOptions& options) const override;
    void init_state(ParamState& state, const Tensor& param,
                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, ParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
