// Adagrad: each coordinate's step divided by the root of its summed squared gradients, with an
// optional learning-rate decay over steps, exactly as torch.optim.Adagrad.
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

struct AdagradOptions : OptimizerCloneableOptions<AdagradOptions> {
    AdagradOptions(double lr = 1e-2) : lr_(lr) {}

    AdagradOptions& lr(double lr) { return set(lr_, lr); }
    AdagradOptions& lr_decay(double lr_decay) { return set(lr_decay_, lr_decay); }
    AdagradOptions& weight_decay(double weight_decay) { return set(weight_decay_, weight_decay); }
    AdagradOptions& initial_accumulator_value(double value) {
        return set(initial_accumulator_value_, value);
    }
    AdagradOptions& eps(double eps) { return set(eps_, eps); }
    AdagradOptions& maximize(bool maximize) { return set(maximize_, maximize); }  // ascend instead
    double lr() const { return lr_; }
    double lr_decay() const { return lr_decay_; }
    double weight_decay() const { return weight_decay_; }
    double initial_accumulator_value() const { return initial_accumulator_value_; }
    double eps() const { return eps_; }
    bool maximize() const { return maximize_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    OptionFields fields() override;

private:
    double lr_;
    double lr_decay_ = 0;
    double weight_decay_ = 0;
    double initial_accumulator_value_ = 0;
    double eps_ = 1e-10;
    bool maximize_ = false;
};

struct AdagradParamState : OptimizerParamState {
    Tensor sum;  // Σ g², from initial_accumulator_value
    NamedTensors buffers() const override { return {{"sum", sum}}; }
};

class Adagrad : public Optimizer {
public:
    Adagrad(std::vector<Tensor> params, const AdagradOptions& defaults = AdagradOptions());
    Adagrad(std::vector<OptimizerParamGroup> groups,
            const AdagradOptions& defaults = AdagradOptions());
    const AdagradParamState* state(int64_t index) const {
        return static_cast<const AdagradParamState*>(Optimizer::state(index));
    }

protected:
    std::unique_ptr<OptimizerParamState> make_state(const Tensor& param,
                                                    const OptimizerOptions& options) const override;
    void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                const OptimizerOptions& options) override;
};

}  // namespace descent::optim
