// Adadelta's options and its update: one pass over each parameter, in torch.optim.Adadelta's float
// arithmetic and order (_single_tensor_adadelta in PyTorch 1.13). Compiled with -ffp-contract=off
// -fno-math-errno, as every optim/*.cpp: fmadd marks the multiply-adds torch fuses.
#include "descent/optim/adadelta.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

OptionFields AdadeltaOptions::fields() {
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"rho", &rho_, Require::closed_unit},
                 {"eps", &eps_, Require::nonneg},
                 {"weight_decay", &weight_decay_, Require::nonneg}};
    f.flags = {{"maximize", &maximize_}};
    return f;
}

Adadelta::Adadelta(std::vector<Tensor> params, const AdadeltaOptions& defaults)
    : Adadelta(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {
}

Adadelta::Adadelta(std::vector<OptimizerParamGroup> groups, const AdadeltaOptions& defaults)
    : Optimizer("Adadelta", std::move(groups), std::make_unique<AdadeltaOptions>(defaults)) {}

std::unique_ptr<OptimizerParamState> Adadelta::make_state(const Tensor& param,
                                                          const OptimizerOptions&) const {
    auto state = std::make_unique<AdadeltaParamState>();
    state->square_avg = zeros_like(param);
    state->acc_delta = zeros_like(param);
    return state;
}

namespace {

template <class T>
void adadelta_update(Tensor& param, const Tensor& grad, AdadeltaParamState& s,
                     const AdadeltaOptions& o) {
    const T rho = static_cast<T>(o.rho()), one_minus_rho = static_cast<T>(1 - o.rho());
    const T eps = static_cast<T>(o.eps()), neg_lr = static_cast<T>(-o.lr());
    const T wd = static_cast<T>(o.weight_decay());
    const T sign = o.maximize() ? T(-1) : T(1);  // exact: -g as torch's maximize
    const int64_t n = param.numel();
    detail::with_switches(
        [=, &param, &grad, &s](auto decay) {
            T* __restrict p = param.data<T>();
            const T* __restrict g = grad.data<T>();
            T* __restrict sq = s.square_avg.data<T>();
            T* __restrict acc = s.acc_delta.data<T>();
            // p, g, sq, acc: (n,)
            for (int64_t i = 0; i < n; ++i) {
                T gi = sign * g[i];
                if constexpr (decay) gi = fmadd(p[i], wd, gi);
                sq[i] = fmadd(one_minus_rho * gi, gi, sq[i] * rho);
                const T std_dev = std::sqrt(sq[i] + eps);
                const T delta = std::sqrt(acc[i] + eps) / std_dev * gi;
                acc[i] = fmadd(one_minus_rho * delta, delta, acc[i] * rho);
                p[i] = fmadd(delta, neg_lr, p[i]);
            }
        },
        o.weight_decay() != 0);
}

}  // namespace

// g = ±g (maximize) + wd·p;  s = ρ·s + (1 - ρ)·g²;  δ = √(a + ε)/√(s + ε) · g;
// a = ρ·a + (1 - ρ)·δ²;  p = p - lr·δ
void Adadelta::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                      const OptimizerOptions& options) {
    const auto& o = static_cast<const AdadeltaOptions&>(options);
    auto& s = static_cast<AdadeltaParamState&>(state);
    DESCENT_CHECK(param.is_floating_point(), TypeError,
                  "Adadelta.step(): expected floating parameters, got ", param.dtype());
    if (param.dtype() == kFloat64)
        adadelta_update<double>(param, grad, s, o);
    else
        adadelta_update<float>(param, grad, s, o);
}

}  // namespace descent::optim
