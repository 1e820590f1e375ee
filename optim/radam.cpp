// RAdam's options and its update: one pass over each parameter, in torch.optim.RAdam's float
// arithmetic and order (_single_tensor_radam in PyTorch 1.13): ρ_t and the rectification in double,
// then float elementwise math. Compiled with -ffp-contract=off -fno-math-errno, as every
// optim/*.cpp.
#include "descent/optim/radam.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

OptionFields RAdamOptions::fields() {
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"beta1", &std::get<0>(betas_), Require::unit},
                 {"beta2", &std::get<1>(betas_), Require::unit},
                 {"eps", &eps_, Require::nonneg},
                 {"weight_decay", &weight_decay_, Require::nonneg}};
    return f;
}

RAdam::RAdam(std::vector<Tensor> params, const RAdamOptions& defaults)
    : RAdam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

RAdam::RAdam(std::vector<OptimizerParamGroup> groups, const RAdamOptions& defaults)
    : Optimizer("RAdam", std::move(groups), std::make_unique<RAdamOptions>(defaults)) {}

std::unique_ptr<OptimizerParamState> RAdam::make_state(const Tensor& param,
                                                       const OptimizerOptions&) const {
    return detail::make_adam_state(param, false);
}

namespace {

// The loop of RAdam::update in T; rect < 0 means "not rectified" (ρ_t <= 5): p = p - m̂·lr.
template <class T>
void radam_update(Tensor& param, const Tensor& grad, AdamParamState& s, const RAdamOptions& o,
                  double bias_correction1, double bias_correction2, double rect) {
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    const T b1 = static_cast<T>(beta1), one_minus_b1 = static_cast<T>(1 - beta1);
    const T b2 = static_cast<T>(beta2), one_minus_b2 = static_cast<T>(1 - beta2);
    const T bc1 = static_cast<T>(bias_correction1), eps = static_cast<T>(o.eps());
    const T bc2_sqrt = static_cast<T>(std::sqrt(bias_correction2));
    const T lr = static_cast<T>(o.lr()), r = static_cast<T>(rect);
    const T wd = static_cast<T>(o.weight_decay());
    const int64_t n = param.numel();
    detail::with_switches(
        [=, &param, &grad, &s](auto decay, auto rectified) {
            T* __restrict p = param.data<T>();
            const T* __restrict g = grad.data<T>();
            T* __restrict m = s.exp_avg.data<T>();
            T* __restrict v = s.exp_avg_sq.data<T>();
            // p, g, m, v: (n,)
            for (int64_t i = 0; i < n; ++i) {
                T gi = g[i];
                if constexpr (decay) gi = fmadd(p[i], wd, gi);
                m[i] = fmadd(gi, one_minus_b1, m[i] * b1);
                v[i] = fmadd(one_minus_b2 * gi, gi, v[i] * b2);
                const T m_hat = m[i] / bc1;
                T step = m_hat * lr;
                if constexpr (rectified) {
                    // torch's scalar / tensor is reciprocal(tensor) · scalar
                    const T adaptive_lr = T(1) / (std::sqrt(v[i]) + eps) * bc2_sqrt;
                    step = step * adaptive_lr * r;
                }
                p[i] = p[i] - step;
            }
        },
        o.weight_decay() != 0, rect >= 0);
}

}  // namespace

// g = g + wd·p;  m = β1·m + (1 - β1)·g;  v = β2·v + (1 - β2)·g²;  m̂ = m / (1 - β1^t);
// ρ∞ = 2/(1 - β2) - 1;  ρ_t = ρ∞ - 2t·β2^t/(1 - β2^t);  if ρ_t > 5:
// r = √((ρ_t - 4)(ρ_t - 2)ρ∞ / ((ρ∞ - 4)(ρ∞ - 2)ρ_t)),  p = p - m̂·lr·√(1 - β2^t)/(√v + ε)·r;
// else p = p - m̂·lr.
void RAdam::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                   const OptimizerOptions& options) {
    const auto& o = static_cast<const RAdamOptions&>(options);
    auto& s = static_cast<AdamParamState&>(state);
    DESCENT_CHECK(param.is_floating_point(), TypeError,
                  "RAdam.step(): expected floating parameters, got ", param.dtype());
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    const double t = static_cast<double>(s.step);
    const double bias_correction1 = 1 - std::pow(beta1, t);
    const double bias_correction2 = 1 - std::pow(beta2, t);
    const double rho_inf = 2 / (1 - beta2) - 1;
    const double rho_t = rho_inf - 2 * t * std::pow(beta2, t) / bias_correction2;
    const double rect = rho_t > 5. ? std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                                               ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                                   : -1.0;
    if (param.dtype() == kFloat64)
        radam_update<double>(param, grad, s, o, bias_correction1, bias_correction2, rect);
    else
        radam_update<float>(param, grad, s, o, bias_correction1, bias_correction2, rect);
}

}  // namespace descent::optim
