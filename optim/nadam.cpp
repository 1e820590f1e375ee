// NAdam's options and its update: one pass over each parameter, in torch.optim.NAdam's float
// arithmetic and order (_single_tensor_nadam in PyTorch 1.13), mu_product a float32 scalar as
// there. Compiled with -ffp-contract=off -fno-math-errno, as every optim/*.cpp: fmadd marks torch's
// fusions.
#include "descent/optim/nadam.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

OptionFields NAdamOptions::fields() {
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"beta1", &std::get<0>(betas_), Require::unit},
                 {"beta2", &std::get<1>(betas_), Require::unit},
                 {"eps", &eps_, Require::nonneg},
                 {"weight_decay", &weight_decay_, Require::nonneg},
                 {"momentum_decay", &momentum_decay_, Require::nonneg}};
    return f;
}

NAdam::NAdam(std::vector<Tensor> params, const NAdamOptions& defaults)
    : NAdam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

NAdam::NAdam(std::vector<OptimizerParamGroup> groups, const NAdamOptions& defaults)
    : Optimizer("NAdam", std::move(groups), std::make_unique<NAdamOptions>(defaults)) {}

std::unique_ptr<OptimizerParamState> NAdam::make_state(const Tensor& param,
                                                       const OptimizerOptions&) const {
    auto state = std::make_unique<NAdamParamState>();
    state->exp_avg = zeros_like(param);
    state->exp_avg_sq = zeros_like(param);
    state->mu_product = ones({});  // float32 whatever the parameter's dtype, as torch.tensor(1.)
    return state;
}

namespace {

// The loop of NAdam::update in T, the parameter's element type; c_grad and c_avg are the two
// addcdiv factors, computed in double.
template <class T>
void nadam_update(Tensor& param, const Tensor& grad, NAdamParamState& s, const NAdamOptions& o,
                  double bias_correction2, double c_grad, double c_avg) {
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    const T b1 = static_cast<T>(beta1), one_minus_b1 = static_cast<T>(1 - beta1);
    const T b2 = static_cast<T>(beta2), one_minus_b2 = static_cast<T>(1 - beta2);
    const T bc2 = static_cast<T>(bias_correction2), eps = static_cast<T>(o.eps());
    const T wd = static_cast<T>(o.weight_decay());
    const T cg = static_cast<T>(c_grad), ca = static_cast<T>(c_avg);
    const int64_t n = param.numel();
    detail::with_switches(
        [=, &param, &grad, &s](auto decay) {
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
                const T denom = std::sqrt(v[i] / bc2) + eps;
                p[i] = p[i] + cg * gi / denom;
                p[i] = p[i] + ca * m[i] / denom;
            }
        },
        o.weight_decay() != 0);
}

}  // namespace

// g = g + wd·p;  μ_t = β1·(1 - ½·0.96^(t·ψ));  Π = Π·μ_t;  m = β1·m + (1 - β1)·g;
// v = β2·v + (1 - β2)·g²;  d = √(v / (1 - β2^t)) + ε;
// p = p - lr·(1 - μ_t)/(1 - Π) · g/d - lr·μ_{t+1}/(1 - Π·μ_t·μ_{t+1}) · m/d.
// The last product multiplies μ_t in twice: torch 1.13's rule (later versions use Π·μ_{t+1}), kept
// so that the trajectory is torch 1.13's bit for bit.
void NAdam::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                   const OptimizerOptions& options) {
    const auto& o = static_cast<const NAdamOptions&>(options);
    auto& s = static_cast<NAdamParamState&>(state);
    DESCENT_CHECK(param.is_floating_point(), TypeError,
                  "NAdam.step(): expected floating parameters, got ", param.dtype());
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    const double t = static_cast<double>(s.step), psi = o.momentum_decay();
    const double bias_correction2 = 1 - std::pow(beta2, t);
    const double mu = beta1 * (1. - 0.5 * std::pow(0.96, t * psi));
    const double mu_next = beta1 * (1. - 0.5 * std::pow(0.96, (t + 1) * psi));
    // The running product in float32 arithmetic, as torch's 0-d float tensor times Python floats.
    float& product = s.mu_product.data()[0];
    product = product * static_cast<float>(mu);
    const float product_next = product * static_cast<float>(mu) * static_cast<float>(mu_next);
    const double c_grad = -o.lr() * (1. - mu) / (1. - static_cast<double>(product));
    const double c_avg = -o.lr() * mu_next / (1. - static_cast<double>(product_next));
    if (param.dtype() == kFloat64)
        nadam_update<double>(param, grad, s, o, bias_correction2, c_grad, c_avg);
    else
        nadam_update<float>(param, grad, s, o, bias_correction2, c_grad, c_avg);
}

}  // namespace descent::optim
