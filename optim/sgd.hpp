// SGD: stochastic gradient descent with optional momentum (heavy-ball or Nesterov), dampening and
// L2 weight decay, exactly as torch.optim.SGD. Update rules: docs/optim.md. The smallest optimizer,
// and the model for a new one: Options, ParamState, the optimizer with make_state() and update().
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

struct SGDOptions : OptimizerCloneableOptions<SGDOptions> {
    SGDOptions(double lr) : lr_(lr) {}  // implicit, so SGD(params, 0.1) reads as in libtorch

    SGDOptions& lr(double lr) { return set(lr_, lr); }
    SGDOptions& momentum(double momentum) { return set(momentum_, momentum); }
    SGDOptions& dampening(double dampening) { return set(dampening_, dampening); }
    SGDOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    SGDOptions& nesterov(bool nesterov) { return set(nesterov_, nesterov); }
    SGDOptions& maximize(bool maximize) { return set(maximize_, maximize); }  // ascend instead
    double lr() const { return lr_; }
    double momentum() const { return momentum_; }
    double dampening() const { return dampening_; }
    double weight_decay() const { return weight_decay_; }
    bool nesterov() const { return nesterov_; }
    bool maximize() const { return maximize_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    OptionFields fields() override;
    void check(const std::string& optimizer) const override;  // and Nesterov's requirements

private:
    double lr_;
    double momentum_ = 0;
    double dampening_ = 0;
    double weight_decay_ = 0;
    bool nesterov_ = false;
    bool maximize_ = false;
};

struct SGDParamState : OptimizerParamState {
    Tensor momentum_buffer;  // with momentum only
    NamedTensors buffers() const override { return {{"momentum_buffer", momentum_buffer}}; }
};

class SGD : public Optimizer {
public:
    SGD(std::vector<Tensor> params, const SGDOptions& defaults);
    SGD(std::vector<OptimizerParamGroup> groups, const SGDOptions& defaults);
    const SGDParamState* state(int64_t index) const {
        return static_cast<const SGDParamState*>(Optimizer::state(index));
    }

protected:
    std::unique_ptr<OptimizerParamState> make_state(const Tensor& param,
                                                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
