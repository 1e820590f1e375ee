// RMSprop's checks and its fused update: one pass over each parameter, in torch.optim.RMSprop's
// float arithmetic and order (_single_tensor_rmsprop in PyTorch 1.13).
#include "descent/optim/rmsprop.hpp"

#include <cmath>

#include "descent/core/factory.hpp"

// PyTorch's float arithmetic: no implicit contraction (update_math.hpp spells out the multiply-adds
// PyTorch fuses). update_math.hpp comes after the pragma, so that its helpers inline into the loops
// below.
#pragma GCC optimize("fp-contract=off")
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

void RMSprop::init(ParamState& state, const Tensor& param, const RMSpropOptions& o) const {
    state.square_avg = zeros_like(param);
    if (o.momentum() > 0) state.momentum_buffer = zeros_like(param);
    if (o.centered()) state.grad_avg = zeros_like(param);
}

// g = g + wd·p;  s = α·s + (1 - α)·g²;  a = √(s - ḡ²) with ḡ = α·ḡ + (1 - α)·g (centered) or √s;
// a = a + ε;  b = μ·b + g/a, p = p - lr·b (momentum)  or  p = p - lr·g/a
void RMSprop::apply(Tensor& param, const Tensor& grad, ParamState& state, const RMSpropOptions& o) {
    const float neg_lr = static_cast<float>(-o.lr());
    const float alpha = static_cast<float>(o.alpha()),
                one_minus_alpha = static_cast<float>(1 - o.alpha());
    const float eps = static_cast<float>(o.eps()), wd = static_cast<float>(o.weight_decay());
    const float mu = static_cast<float>(o.momentum());
    const int64_t n = param.numel();
    // Constants by value: read through references, GCC assumes the stores below might change them
    // and does not vectorise.
    detail::with_switches(
        [=, &param, &grad, &state](auto decay, auto centered, auto momentum) {
            float* __restrict p = param.data();
            const float* __restrict g = grad.data();
            float* __restrict s = state.square_avg.data();
            float* __restrict ga = centered ? state.grad_avg.data() : nullptr;
            float* __restrict b = momentum ? state.momentum_buffer.data() : nullptr;
            // p, g, s, ga, b: (n,)
            for (int64_t i = 0; i < n; ++i) {
                float gi = g[i];
                if constexpr (decay) gi = fmadd(p[i], wd, gi);
                s[i] = fmadd(one_minus_alpha * gi, gi, s[i] * alpha);
                float avg;
                if constexpr (centered) {
                    ga[i] = fmadd(gi, one_minus_alpha, ga[i] * alpha);
                    avg = detail::sqrt(fmadd(-1.0f * ga[i], ga[i], s[i]));
                } else {
                    avg = detail::sqrt(s[i]);
                }
                avg = avg + eps;
                if constexpr (momentum) {
                    b[i] = b[i] * mu + 1.0f * gi / avg;
                    p[i] = fmadd(b[i], neg_lr, p[i]);
                } else {
                    p[i] = p[i] + neg_lr * gi / avg;
                }
            }
        },
        o.weight_decay() != 0, o.centered(), o.momentum() > 0);
}

}  // namespace descent::optim
