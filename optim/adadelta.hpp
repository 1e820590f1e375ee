// Adadelta: steps scaled by the ratio of running RMS of past updates to that of gradients
// (Zeiler 2012), exactly as torch.optim.Adadelta 1.13 (lr, rho, eps, weight_decay, maximize).
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

struct AdadeltaOptions : OptimizerCloneableOptions<AdadeltaOptions> {
    AdadeltaOptions(double lr = 1.0) : lr_(lr) {}

    AdadeltaOptions& lr(double lr) { return set(lr_, lr); }
    AdadeltaOptions& rho(double rho) { return set(rho_, rho); }
    AdadeltaOptions& eps(double eps) { return set(eps_, eps); }
    AdadeltaOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    AdadeltaOptions& maximize(bool maximize) { return set(maximize_, maximize); }
    double lr() const { return lr_; }
    double rho() const { return rho_; }
    double eps() const { return eps_; }
    double weight_decay() const { return weight_decay_; }
    bool maximize() const { return maximize_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    OptionFields fields() override;

private:
    double lr_;
    double rho_ = 0.9;
    double eps_ = 1e-6;
    double weight_decay_ = 0;
    bool maximize_ = false;
};

struct AdadeltaParamState : OptimizerParamState {
    Tensor square_avg;  // running mean of g²
    Tensor acc_delta;   // running mean of the squared updates
    NamedTensors buffers() const override {
        return {{"square_avg", square_avg}, {"acc_delta", acc_delta}};
    }
};

class Adadelta : public Optimizer {
public:
    Adadelta(std::vector<Tensor> params, const AdadeltaOptions& defaults = AdadeltaOptions());
    Adadelta(std::vector<OptimizerParamGroup> groups,
             const AdadeltaOptions& defaults = AdadeltaOptions());
    const AdadeltaParamState* state(int64_t index) const {
        return static_cast<const AdadeltaParamState*>(Optimizer::state(index));
    }

protected:
    std::unique_ptr<OptimizerParamState> make_state(const Tensor& param,
                                                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
