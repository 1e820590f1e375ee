// SGD: stochastic gradient descent with optional momentum (heavy-ball or Nesterov), dampening and
// L2 weight decay, exactly as torch.optim.SGD. Update rules: docs/optim.md.
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

#define DESCENT_SGD_OPTIONS(NUMBER, FLAG, PAIR) \
    NUMBER(momentum, 0, nonneg)                 \
    NUMBER(dampening, 0, finite)                \
    NUMBER(weight_decay, 0, nonneg)             \
    FLAG(nesterov, false)

struct SGDOptions : OptimizerCloneableOptions<SGDOptions> {
    SGDOptions(double lr) : lr_(lr) {}  // implicit, so SGD(params, 0.1) reads as in libtorch
    DESCENT_OPTIONS(DESCENT_SGD_OPTIONS)

protected:
    void check_more(const std::string& optimizer) const override;  // Nesterov's requirements
};

class SGD : public detail::OptimizerBase<SGD, SGDOptions> {
public:
    using OptimizerBase::OptimizerBase;  // SGD(params, SGDOptions(0.1).momentum(0.9)), or groups
    static constexpr const char* type_name = "SGD";
    // The hooks OptimizerBase calls: the state a parameter needs, and one update.
    void init(ParamState& state, const Tensor& param, const SGDOptions& options) const;
    void apply(Tensor& param, const Tensor& grad, ParamState& state, const SGDOptions& options);
};

}  // namespace descent::optim
