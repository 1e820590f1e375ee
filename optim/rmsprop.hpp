// RMSprop: the gradient divided by a running root mean square, optionally centered (divided by
// the running standard deviation) and with momentum, exactly as torch.optim.RMSprop.
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

#define DESCENT_RMSPROP_OPTIONS(NUMBER, FLAG, PAIR) \
    NUMBER(alpha, 0.99, nonneg)                     \
    NUMBER(eps, 1e-8, nonneg)                       \
    NUMBER(weight_decay, 0, nonneg)                 \
    NUMBER(momentum, 0, nonneg)                     \
    FLAG(centered, false)

struct RMSpropOptions : OptimizerCloneableOptions<RMSpropOptions> {
    RMSpropOptions(double lr = 1e-2) : lr_(lr) {}
    DESCENT_OPTIONS(DESCENT_RMSPROP_OPTIONS)
};

class RMSprop : public detail::OptimizerBase<RMSprop, RMSpropOptions> {
public:
    using OptimizerBase::OptimizerBase;
    static constexpr const char* type_name = "RMSprop";
    // The hooks OptimizerBase calls: the state a parameter needs, and one update.
    void init(ParamState& state, const Tensor& param, const RMSpropOptions& options) const;
    void apply(Tensor& param, const Tensor& grad, ParamState& state, const RMSpropOptions& options);
};

}  // namespace descent::optim
