// RMSprop: the gradient divided by a running root mean square, optionally centered (divided by
// the running standard deviation) and with momentum, exactly as torch.optim.RMSprop.
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

struct RMSpropOptions : OptimizerCloneableOptions<RMSpropOptions> {
    RMSpropOptions(double lr = 1e-2) : lr_(lr) {}

    RMSpropOptions& lr(double lr) { return set(lr_, lr); }
    RMSpropOptions& alpha(double alpha) { return set(alpha_, alpha); }
    RMSpropOptions& eps(double eps) { return set(eps_, eps); }
    RMSpropOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    RMSpropOptions& momentum(double momentum) { return set(momentum_, momentum); }
    RMSpropOptions& centered(bool centered) { return set(centered_, centered); }
    RMSpropOptions& maximize(bool maximize) { return set(maximize_, maximize); }  // ascend instead
    double lr() const { return lr_; }
    double alpha() const { return alpha_; }
    double eps() const { return eps_; }
    double weight_decay() const { return weight_decay_; }
    double momentum() const { return momentum_; }
    bool centered() const { return centered_; }
    bool maximize() const { return maximize_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    OptionFields fields() override;

private:
    double lr_;
    double alpha_ = 0.99;
    double eps_ = 1e-8;
    double weight_decay_ = 0;
    double momentum_ = 0;
    bool centered_ = false;
    bool maximize_ = false;
};

struct RMSpropParamState : OptimizerParamState {
    Tensor square_avg;       // running mean of g²
    Tensor momentum_buffer;  // with momentum only
    Tensor grad_avg;         // centered only: running mean of g
    NamedTensors buffers() const override {
        return {{"momentum_buffer", momentum_buffer},
                {"square_avg", square_avg},
                {"grad_avg", grad_avg}};
    }
};

class RMSprop : public Optimizer {
public:
    RMSprop(std::vector<Tensor> params, const RMSpropOptions& defaults = RMSpropOptions());
    RMSprop(std::vector<OptimizerParamGroup> groups,
            const RMSpropOptions& defaults = RMSpropOptions());
    const RMSpropParamState* state(int64_t index) const {
        return static_cast<const RMSpropParamState*>(Optimizer::state(index));
    }

protected:
    std::unique_ptr<OptimizerParamState> make_state(const Tensor& param,
                                                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
