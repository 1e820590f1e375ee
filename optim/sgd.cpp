// SGD's checks and its fused update: one pass over each parameter, in torch.optim.SGD's float
// arithmetic and order (_single_tensor_sgd in PyTorch 1.13).
#include "descent/optim/sgd.hpp"

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

void SGDOptions::check_more(const std::string& optimizer) const {
    DESCENT_CHECK(!nesterov_ || (momentum_ > 0 && dampening_ == 0), ValueError, optimizer,
                  "(): nesterov requires momentum > 0 and dampening == 0, got momentum ", momentum_,
                  " and dampening ", dampening_);
}

void SGD::init(ParamState& state, const Tensor& param, const SGDOptions& options) const {
    if (options.momentum() != 0) state.momentum_buffer = zeros_like(param);
}

// d = g + wd·p;  b = d on the first step, else μ·b + (1 - τ)·d;  d = d + μ·b (Nesterov) or b;
// p = p - lr·d
void SGD::apply(Tensor& param, const Tensor& grad, ParamState& state, const SGDOptions& o) {
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
    float* __restrict b = state.momentum_buffer.data();
    const bool first = state.step == 1;
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
