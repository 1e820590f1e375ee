// Adagrad: each coordinate's step divided by the root of its summed squared gradients, with an
// optional learning-rate decay over steps, exactly as torch.optim.Adagrad.
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

#define DESCENT_ADAGRAD_OPTIONS(NUMBER, FLAG, PAIR) \
    NUMBER(lr_decay, 0, nonneg)                     \
    NUMBER(weight_decay, 0, nonneg)                 \
    NUMBER(initial_accumulator_value, 0, nonneg)    \
    NUMBER(eps, 1e-10, nonneg)

struct AdagradOptions : OptimizerCloneableOptions<AdagradOptions> {
    AdagradOptions(double lr = 1e-2) : lr_(lr) {}
    DESCENT_OPTIONS(DESCENT_ADAGRAD_OPTIONS)
};

class Adagrad : public detail::OptimizerBase<Adagrad, AdagradOptions> {
public:
    using OptimizerBase::OptimizerBase;
    static constexpr const char* type_name = "Adagrad";
    // The hooks OptimizerBase calls: the state a parameter needs, and one update.
    void init(ParamState& state, const Tensor& param, const AdagradOptions& options) const;
    void apply(Tensor& param, const Tensor& grad, ParamState& state, const AdagradOptions& options);
};

}  // namespace descent::optim
