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
    f.flags = {{"nesterov", &nesterov_}, {"maximize", &maximize_, true}};
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

namespace {

// d = ±g (maximize) + wd·p;  b = d on the first step, else μ·b + (1 - τ)·d;  d = d + μ·b (Nesterov)
// or b; p = p - lr·d, in T = the parameter's element type (float: torch's float32 arithmetic)
template <class T>
void sgd_update(Tensor& param, const Tensor& grad, SGDParamState& s, const SGDOptions& o) {
    const T neg_lr = static_cast<T>(-o.lr());
    const T wd = static_cast<T>(o.weight_decay());
    const T mu = static_cast<T>(o.momentum());
    const T one_minus_tau = static_cast<T>(1.0 - o.dampening());
    const bool decay = o.weight_decay() != 0, nesterov = o.nesterov();
    const T sign = o.maximize() ? T(-1) : T(1);  // exact: torch's maximize negates g
    T* __restrict p = param.data<T>();
    const T* __restrict g = grad.data<T>();
    const int64_t n = param.numel();
    if (o.momentum() == 0) {
        // p, g: (n,)
        for (int64_t i = 0; i < n; ++i) {
            T d = sign * g[i];
            if (decay) d = fmadd(p[i], wd, d);
            p[i] = fmadd(d, neg_lr, p[i]);
        }
        return;
    }
    T* __restrict b = s.momentum_buffer.data<T>();
    const bool first = s.step == 1;
    // p, g, b: (n,)
    for (int64_t i = 0; i < n; ++i) {
        T d = sign * g[i];
        if (decay) d = fmadd(p[i], wd, d);
        b[i] = first ? d : fmadd(d, one_minus_tau, b[i] * mu);
        d = nesterov ? fmadd(b[i], mu, d) : b[i];
        p[i] = fmadd(d, neg_lr, p[i]);
    }
}

}  // namespace

// float32 and float64 parameters (a float64 one updates in double arithmetic)
void SGD::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                 const OptimizerOptions& options) {
    const auto& o = static_cast<const SGDOptions&>(options);
    auto& s = static_cast<SGDParamState&>(state);
    DESCENT_CHECK(param.is_floating_point(), TypeError,
                  "SGD.step(): expected floating parameters, got ", param.dtype());
    if (param.dtype() == kFloat64)
        sgd_update<double>(param, grad, s, o);
    else
        sgd_update<float>(param, grad, s, o);
}

}  // namespace descent::optim
