// SGD's checks and its fused update: one pass over each parameter, in torch.optim.SGD's float
// arithmetic and order (_single_tensor_sgd in PyTorch 1.13).
#include "descent/optim/sgd.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

// PyTorch's float arithmetic: no implicit contraction (update_math.hpp spells out the multiply-adds
// PyTorch fuses). update_math.hpp comes after the pragma, so that its helpers inline into the loops
// below.
#pragma GCC optimize("fp-contract=off")
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

void SGDOptions::check(const std::string& optimizer) const {
    using detail::check_option;
    check_option(lr_ >= 0 && std::isfinite(lr_), optimizer, "lr", lr_, "must be finite and >= 0");
    check_option(momentum_ >= 0 && std::isfinite(momentum_), optimizer, "momentum", momentum_,
                 "must be finite and >= 0");
    check_option(std::isfinite(dampening_), optimizer, "dampening", dampening_, "must be finite");
    check_option(weight_decay_ >= 0 && std::isfinite(weight_decay_), optimizer, "weight_decay",
                 weight_decay_, "must be finite and >= 0");
    DESCENT_CHECK(!nesterov_ || (momentum_ > 0 && dampening_ == 0), ValueError, optimizer,
                  "(): nesterov requires momentum > 0 and dampening == 0, got momentum ", momentum_,
                  " and dampening ", dampening_);
}

OptionFields SGDOptions::fields() {
    return {{{"lr", &lr_},
             {"momentum", &momentum_},
             {"dampening", &dampening_},
             {"weight_decay", &weight_decay_}},
            {{"nesterov", &nesterov_}}};
}

SGD::SGD(std::vector<Tensor> params, SGDOptions defaults)
    : SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

SGD::SGD(std::vector<OptimizerParamGroup> groups, SGDOptions defaults)
    : Optimizer(std::make_unique<SGDOptions>(defaults)) {
    add_param_groups(std::move(groups));
}

bool SGD::accepts(const OptimizerOptions& options) const {
    return dynamic_cast<const SGDOptions*>(&options) != nullptr;
}

void SGD::init_state(ParamState& state, const Tensor& param,
                     const OptimizerOptions& options) const {
    if (static_cast<const SGDOptions&>(options).momentum() != 0)
        state.momentum_buffer = zeros_like(param);
}

// d = g + wd·p;  b = d on the first step, else μ·b + (1 - τ)·d;  d = d + μ·b (Nesterov) or b;
// p = p - lr·d
void SGD::update(Tensor& param, const Tensor& grad, ParamState& state,
                 const OptimizerOptions& options) {
    const auto& o = static_cast<const SGDOptions&>(options);
    const float neg_lr = static_cast<float>(-o.lr());
    const float wd = static_cast<float>(o.weight_decay());
    const float mu = static_cast<float>(o.momentum());
    const float one_minus_tau = static_cast<float>(1.0 - o.dampening());
    const bool decay = o.weight_decay() != 0, nesterov = o.nesterov();
    float* __restrict p = param.data();
    const float* __restrict g = grad.data();
    const int64_t n = param.numel();
    if (o.momentum() == 0) {
        // p, g: (n,)
        for (int64_t i = 0; i < n; ++i) {
            float d = g[i];
            if (decay) d = fmadd(p[i], wd, d);
            p[i] = fmadd(d, neg_lr, p[i]);
        }
        return;
    }
    float* __restrict b = state.momentum_buffer.data();
    const bool first = state.step == 1;
    // p, g, b: (n,)
    for (int64_t i = 0; i < n; ++i) {
        float d = g[i];
        if (decay) d = fmadd(p[i], wd, d);
        b[i] = first ? d : fmadd(d, one_minus_tau, b[i] * mu);
        d = nesterov ? fmadd(b[i], mu, d) : b[i];
        p[i] = fmadd(d, neg_lr, p[i]);
    }
}

}  // namespace descent::optim
