// Adam: adaptive moment estimation with bias correction, optional AMSGrad and L2 weight decay
// added to the gradient, exactly as torch.optim.Adam. (AdamW, with decoupled decay: adamw.hpp.)
#pragma once

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

using betas_t = pair_option;  // (β1, β2), as libtorch

// Adam's and AdamW's options, which differ only in weight_decay's default.
#define DESCENT_ADAM_FAMILY_OPTIONS(NUMBER, FLAG, PAIR, weight_decay_default) \
    PAIR(betas, beta1, beta2, 0.9, 0.999, unit)                               \
    NUMBER(eps, 1e-8, nonneg)                                                 \
    NUMBER(weight_decay, weight_decay_default, nonneg)                        \
    FLAG(amsgrad, false)
#define DESCENT_ADAM_OPTIONS(NUMBER, FLAG, PAIR) DESCENT_ADAM_FAMILY_OPTIONS(NUMBER, FLAG, PAIR, 0)

struct AdamOptions : OptimizerCloneableOptions<AdamOptions> {
    AdamOptions(double lr = 1e-3) : lr_(lr) {}
    DESCENT_OPTIONS(DESCENT_ADAM_OPTIONS)
};

namespace detail {
// The moments Adam and AdamW keep: exp_avg, exp_avg_sq and, with amsgrad, max_exp_avg_sq.
void init_adam_state(ParamState& state, const Tensor& param, bool amsgrad);
// The hyper-parameters of one Adam/AdamW update. `decoupled` selects AdamW's decay.
struct AdamStep {
    double lr, beta1, beta2, eps, weight_decay;
    bool amsgrad, decoupled;
};
// The fused update shared by Adam and AdamW.
void adam_update(Tensor& param, const Tensor& grad, ParamState& state, const AdamStep& h);

// Adam and AdamW as optimizers: the same state and update, told apart by their options type and
// whether weight decay is decoupled.
template <class Derived, class Options, bool Decoupled>
class AdamFamily : public OptimizerBase<Derived, Options> {
public:
    using OptimizerBase<Derived, Options>::OptimizerBase;
    // The hooks OptimizerBase calls: the state a parameter needs, and one update.
    void init(ParamState& state, const Tensor& param, const Options& o) const {
        init_adam_state(state, param, o.amsgrad());
    }
    void apply(Tensor& param, const Tensor& grad, ParamState& state, const Options& o) {
        adam_update(param, grad, state,
                    {o.lr(), std::get<0>(o.betas()), std::get<1>(o.betas()), o.eps(),
                     o.weight_decay(), o.amsgrad(), Decoupled});
    }
};
}  // namespace detail

class Adam : public detail::AdamFamily<Adam, AdamOptions, /*Decoupled=*/false> {
public:
    using AdamFamily::AdamFamily;
    static constexpr const char* type_name = "Adam";
};

}  // namespace descent::optim
