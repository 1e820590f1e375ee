// AdamW's options and its update: one pass over each parameter, in torch.optim.AdamW's float
// arithmetic and order (_single_tensor_adamw in PyTorch 1.13). Adam's loop with the decay moved
// from the gradient onto the weights. Compiled with -ffp-contract=off -fno-math-errno, as every
// optim/*.cpp (cmake/DescentLibrary.cmake): fmadd marks the multiply-adds torch fuses.
#include "descent/optim/adamw.hpp"

#include <cmath>

#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;
using detail::maximum;

OptionFields AdamWOptions::fields() {
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"beta1", &std::get<0>(betas_), Require::unit},
                 {"beta2", &std::get<1>(betas_), Require::unit},
                 {"eps", &eps_, Require::nonneg},
                 {"weight_decay", &weight_decay_, Require::nonneg}};
    f.flags = {{"amsgrad", &amsgrad_}, {"maximize", &maximize_, true}};
    return f;
}

AdamW::AdamW(std::vector<Tensor> params, const AdamWOptions& defaults)
    : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

AdamW::AdamW(std::vector<OptimizerParamGroup> groups, const AdamWOptions& defaults)
    : Optimizer("AdamW", std::move(groups), std::make_unique<AdamWOptions>(defaults)) {}

std::unique_ptr<OptimizerParamState> AdamW::make_state(const Tensor& param,
                                                       const OptimizerOptions& options) const {
    return detail::make_adam_state(param, static_cast<const AdamWOptions&>(options).amsgrad());
}

namespace {

// The loop of AdamW::update in T, the parameter's element type (float: torch's float32 arithmetic).
template <class T>
void adamw_update(Tensor& param, const Tensor& grad, AdamParamState& s, const AdamWOptions& o,
                  double bias_correction1, double bias_correction2) {
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    const T neg_step_size = static_cast<T>(-(o.lr() / bias_correction1));
    const T bc2_sqrt = static_cast<T>(std::sqrt(bias_correction2));
    const T b1 = static_cast<T>(beta1), one_minus_b1 = static_cast<T>(1 - beta1);
    const T b2 = static_cast<T>(beta2), one_minus_b2 = static_cast<T>(1 - beta2);
    const T eps = static_cast<T>(o.eps());
    const T sign = o.maximize() ? T(-1) : T(1);  // exact: torch's maximize negates g
    const T shrink = static_cast<T>(1 - o.lr() * o.weight_decay());
    const int64_t n = param.numel();
    // One loop per amsgrad setting; constants by value, as in Adam's loop.
    detail::with_switches(
        [=, &param, &grad, &s](auto amsgrad) {
            T* __restrict p = param.data<T>();
            const T* __restrict g = grad.data<T>();
            T* __restrict m = s.exp_avg.data<T>();
            T* __restrict v = s.exp_avg_sq.data<T>();
            T* __restrict vmax = amsgrad ? s.max_exp_avg_sq.data<T>() : nullptr;
            // p, g, m, v, vmax: (n,)
            for (int64_t i = 0; i < n; ++i) {
                const T gi = sign * g[i];
                p[i] = p[i] * shrink;  // as torch, even when the factor is 1
                m[i] = fmadd(gi, one_minus_b1, m[i] * b1);
                v[i] = fmadd(one_minus_b2 * gi, gi, v[i] * b2);
                T second = v[i];
                if constexpr (amsgrad) second = vmax[i] = maximum(vmax[i], v[i]);
                const T denom = std::sqrt(second) / bc2_sqrt + eps;
                p[i] = p[i] + neg_step_size * m[i] / denom;
            }
        },
        o.amsgrad());
}

}  // namespace

// p = p·(1 - lr·wd);  m = β1·m + (1 - β1)·g;  v = β2·v + (1 - β2)·g²;  v̂ = max(v̂, v) (amsgrad,
// used for v below);  p = p - lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + ε)
void AdamW::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                   const OptimizerOptions& options) {
    const auto& o = static_cast<const AdamWOptions&>(options);
    auto& s = static_cast<AdamParamState&>(state);
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    const double t = static_cast<double>(s.step);
    const double bias_correction1 = 1 - std::pow(beta1, t);
    const double bias_correction2 = 1 - std::pow(beta2, t);
    DESCENT_CHECK(param.is_floating_point(), TypeError,
                  "AdamW.step(): expected floating parameters, got ", param.dtype());
    if (param.dtype() == kFloat64)
        adamw_update<double>(param, grad, s, o, bias_correction1, bias_correction2);
    else
        adamw_update<float>(param, grad, s, o, bias_correction1, bias_correction2);
}

}  // namespace descent::optim
