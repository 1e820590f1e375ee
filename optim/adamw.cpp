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
    f.flags = {{"amsgrad", &amsgrad_}};
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
    const float neg_step_size = static_cast<float>(-(o.lr() / bias_correction1));
    const float bc2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    const float b1 = static_cast<float>(beta1), one_minus_b1 = static_cast<float>(1 - beta1);
    const float b2 = static_cast<float>(beta2), one_minus_b2 = static_cast<float>(1 - beta2);
    const float eps = static_cast<float>(o.eps());
    const float shrink = static_cast<float>(1 - o.lr() * o.weight_decay());
    const int64_t n = param.numel();
    // One loop per amsgrad setting; constants by value, as in Adam's loop.
    detail::with_switches(
        [=, &param, &grad, &s](auto amsgrad) {
            float* __restrict p = param.data();
            const float* __restrict g = grad.data();
            float* __restrict m = s.exp_avg.data();
            float* __restrict v = s.exp_avg_sq.data();
            float* __restrict vmax = amsgrad ? s.max_exp_avg_sq.data() : nullptr;
            // p, g, m, v, vmax: (n,)
            for (int64_t i = 0; i < n; ++i) {
                const float gi = g[i];
                p[i] = p[i] * shrink;  // as torch, even when the factor is 1
                m[i] = fmadd(gi, one_minus_b1, m[i] * b1);
                v[i] = fmadd(one_minus_b2 * gi, gi, v[i] * b2);
                float second = v[i];
                if constexpr (amsgrad) second = vmax[i] = maximum(vmax[i], v[i]);
                const float denom = std::sqrt(second) / bc2_sqrt + eps;
                p[i] = p[i] + neg_step_size * m[i] / denom;
            }
        },
        o.amsgrad());
}

}  // namespace descent::optim
