// SGD's options and its update: one pass over each parameter, in torch.optim.SGD's float
// arithmetic and order (_single_tensor_sgd in PyTorch 1.13). Compiled with -ffp-contract=off, as
// every optim/*.cpp (cmake/DescentLibrary.cmake): fmadd marks the multiply-adds torch fuses.
#include "descent/optim/sgd.hpp"

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

OptionFields SGDOptions::fields() {
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"momentum", &momentum_, Require::nonneg},
                 {"dampening", &dampening_, Require::finite},
                 {"weight_decay", &weight_decay_, Require::nonneg}};
    f.flags = {{"nesterov", &nesterov_}};
    return f;
}

void SGDOptions::check(const std::string& optimizer) const {
    OptimizerOptions::check(optimizer);
    DESCENT_CHECK(!nesterov_ || (momentum_ > 0 && dampening_ == 0), ValueError, optimizer,
                  "(): nesterov requires momentum > 0 and dampening == 0, got momentum ", momentum_,
                  " and dampening ", dampening_);
}

SGD::SGD(std::vector<Tensor> params, const SGDOptions& defaults)
    : SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

SGD::SGD(std::vector<OptimizerParamGroup> groups, const SGDOptions& defaults)
    : Optimizer("SGD", std::move(groups), std::make_unique<SGDOptions>(defaults)) {}

std::unique_ptr<OptimizerParamState> SGD::make_state(const Tensor& param,
                                                     const OptimizerOptions& options) const {
    auto state = std::make_unique<SGDParamState>();
    if (static_cast<const SGDOptions&>(options).momentum() != 0)
        state->momentum_buffer = zeros_like(param);
    return state;
}

// d = g + wd·p;  b = d on the first step, else μ·b + (1 - τ)·d;  d = d + μ·b (Nesterov) or b;
// p = p - lr·d
void SGD::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                 const OptimizerOptions& options) {
    const auto& o = static_cast<const SGDOptions&>(options);
    auto& s = static_cast<SGDParamState&>(state);
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
    float* __restrict b = s.momentum_buffer.data();
    const bool first = s.step == 1;
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
