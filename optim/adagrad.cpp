// Adagrad's checks and its fused update: one pass over each parameter, in torch.optim.Adagrad's
// float arithmetic and order (_single_tensor_adagrad in PyTorch 1.13).
#include "descent/optim/adagrad.hpp"

#include <cmath>

#include "descent/core/factory.hpp"

// PyTorch's float arithmetic: no implicit contraction (update_math.hpp spells out the multiply-adds
// PyTorch fuses). update_math.hpp comes after the pragma, so that its helpers inline into the loops
// below.
#pragma GCC optimize("fp-contract=off")
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

void Adagrad::init(ParamState& state, const Tensor& param, const AdagradOptions& o) const {
    state.sum = full_like(param, static_cast<float>(o.initial_accumulator_value()));
}

// lr_t = lr / (1 + (t - 1)·lr_decay);  g = g + wd·p;  S = S + g²;  p = p - lr_t·g / (√S + ε)
void Adagrad::apply(Tensor& param, const Tensor& grad, ParamState& state, const AdagradOptions& o) {
    const double clr = o.lr() / (1 + static_cast<double>(state.step - 1) * o.lr_decay());
    const float neg_clr = static_cast<float>(-clr);
    const float eps = static_cast<float>(o.eps()), wd = static_cast<float>(o.weight_decay());
    const bool decay = o.weight_decay() != 0;

    float* __restrict p = param.data();
    const float* __restrict g = grad.data();
    float* __restrict s = state.sum.data();
    const int64_t n = param.numel();
    // p, g, s: (n,)
    for (int64_t i = 0; i < n; ++i) {
        float gi = g[i];
        if (decay) gi = fmadd(p[i], wd, gi);
        s[i] = fmadd(1.0f * gi, gi, s[i]);
        const float std_dev = detail::sqrt(s[i]) + eps;
        p[i] = p[i] + neg_clr * gi / std_dev;
    }
}

}  // namespace descent::optim
