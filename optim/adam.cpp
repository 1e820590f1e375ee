// The fused update Adam and AdamW share: one pass over each parameter, in torch.optim's float
// arithmetic and order (_single_tensor_adam / _single_tensor_adamw in PyTorch
// 1.13): bias corrections in double, then float elementwise math.
#include "descent/optim/adam.hpp"

#include <algorithm>
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
using detail::maximum;

void detail::init_adam_state(ParamState& state, const Tensor& param, bool amsgrad) {
    state.exp_avg = zeros_like(param);
    state.exp_avg_sq = zeros_like(param);
    if (amsgrad) state.max_exp_avg_sq = zeros_like(param);
}

// g = g + wd·p (Adam)  or  p = p·(1 - lr·wd) (AdamW);
// m = β1·m + (1 - β1)·g;  v = β2·v + (1 - β2)·g²;  v̂ = max(v̂, v) (amsgrad, used for v below);
// p = p - lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + ε)
void detail::adam_update(Tensor& param, const Tensor& grad, ParamState& state, const AdamStep& h) {
    const double t = static_cast<double>(state.step);
    const double bias_correction1 = 1 - std::pow(h.beta1, t);
    const double bias_correction2 = 1 - std::pow(h.beta2, t);
    const float neg_step_size = static_cast<float>(-(h.lr / bias_correction1));
    const float bc2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    const float b1 = static_cast<float>(h.beta1), one_minus_b1 = static_cast<float>(1 - h.beta1);
    const float b2 = static_cast<float>(h.beta2), one_minus_b2 = static_cast<float>(1 - h.beta2);
    const float eps = static_cast<float>(h.eps), wd = static_cast<float>(h.weight_decay);
    const float shrink = static_cast<float>(1 - h.lr * h.weight_decay);
    const bool l2 = !h.decoupled && h.weight_decay != 0;
    const int64_t n = param.numel();
    // decoupled: PyTorch's AdamW multiplies even when the factor is 1
    // Constants by value: read through references, GCC assumes the stores below might change them
    // and does not vectorise.
    detail::with_switches(
        [=, &param, &grad, &state](auto l2_on, auto decoupled_on, auto amsgrad_on) {
            float* __restrict p = param.data();
            const float* __restrict g = grad.data();
            float* __restrict m = state.exp_avg.data();
            float* __restrict v = state.exp_avg_sq.data();
            float* __restrict vmax = amsgrad_on ? state.max_exp_avg_sq.data() : nullptr;
            // p, g, m, v, vmax: (n,)
            for (int64_t i = 0; i < n; ++i) {
                float gi = g[i];
                if constexpr (l2_on) gi = fmadd(p[i], wd, gi);
                if constexpr (decoupled_on) p[i] = p[i] * shrink;
                m[i] = fmadd(gi, one_minus_b1, m[i] * b1);
                v[i] = fmadd(one_minus_b2 * gi, gi, v[i] * b2);
                float second = v[i];
                if constexpr (amsgrad_on) second = vmax[i] = maximum(vmax[i], v[i]);
                const float denom = detail::sqrt(second) / bc2_sqrt + eps;
                p[i] = p[i] + neg_step_size * m[i] / denom;
            }
        },
        l2, h.decoupled, h.amsgrad);
}

}  // namespace descent::optim
