// RMSprop's options and its update: one pass over each parameter, in torch.optim.RMSprop's float
// arithmetic and order (_single_tensor_rmsprop in PyTorch 1.13). Compiled with -ffp-contract=off
// -fno-math-errno, as every optim/*.cpp (cmake/DescentLibrary.cmake): fmadd marks the multiply-adds
// torch fuses.
#include "descent/optim/rmsprop.hpp"

#include <cmath>

#include "descent/core/factory.hpp"
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

OptionFields RMSpropOptions::fields() {
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"alpha", &alpha_, Require::nonneg},
                 {"eps", &eps_, Require::nonneg},
                 {"weight_decay", &weight_decay_, Require::nonneg},
                 {"momentum", &momentum_, Require::nonneg}};
    f.flags = {{"centered", &centered_}, {"maximize", &maximize_, true}};
    return f;
}

RMSprop::RMSprop(std::vector<Tensor> params, const RMSpropOptions& defaults)
    : RMSprop(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

RMSprop::RMSprop(std::vector<OptimizerParamGroup> groups, const RMSpropOptions& defaults)
    : Optimizer("RMSprop", std::move(groups), std::make_unique<RMSpropOptions>(defaults)) {}

std::unique_ptr<OptimizerParamState> RMSprop::make_state(const Tensor& param,
                                                         const OptimizerOptions& options) const {
    const auto& o = static_cast<const RMSpropOptions&>(options);
    auto state = std::make_unique<RMSpropParamState>();
    state->square_avg = zeros_like(param);
    if (o.momentum() > 0) state->momentum_buffer = zeros_like(param);
    if (o.centered()) state->grad_avg = zeros_like(param);
    return state;
}

namespace {

// The loop of RMSprop::update in T, the parameter's element type (float: torch's arithmetic).
template <class T>
void rmsprop_update(Tensor& param, const Tensor& grad, RMSpropParamState& st,
                    const RMSpropOptions& o) {
    const T neg_lr = static_cast<T>(-o.lr());
    const T alpha = static_cast<T>(o.alpha()), one_minus_alpha = static_cast<T>(1 - o.alpha());
    const T eps = static_cast<T>(o.eps()), wd = static_cast<T>(o.weight_decay());
    const T mu = static_cast<T>(o.momentum());
    const T sign = o.maximize() ? T(-1) : T(1);  // exact: torch's maximize negates g
    const int64_t n = param.numel();
    // One loop per (weight decay, centered, momentum): constants are captured by value, since
    // through references GCC assumes the stores below might change them and does not vectorise.
    detail::with_switches(
        [=, &param, &grad, &st](auto decay, auto centered, auto momentum) {
            T* __restrict p = param.data<T>();
            const T* __restrict g = grad.data<T>();
            T* __restrict s = st.square_avg.data<T>();
            T* __restrict ga = centered ? st.grad_avg.data<T>() : nullptr;
            T* __restrict b = momentum ? st.momentum_buffer.data<T>() : nullptr;
            // p, g, s, ga, b: (n,)
            for (int64_t i = 0; i < n; ++i) {
                T gi = sign * g[i];
                if constexpr (decay) gi = fmadd(p[i], wd, gi);
                s[i] = fmadd(one_minus_alpha * gi, gi, s[i] * alpha);
                T avg;
                if constexpr (centered) {
                    ga[i] = fmadd(gi, one_minus_alpha, ga[i] * alpha);
                    avg = std::sqrt(fmadd(T(-1) * ga[i], ga[i], s[i]));
                } else {
                    avg = std::sqrt(s[i]);
                }
                avg = avg + eps;
                if constexpr (momentum) {
                    b[i] = b[i] * mu + T(1) * gi / avg;
                    p[i] = fmadd(b[i], neg_lr, p[i]);
                } else {
                    p[i] = p[i] + neg_lr * gi / avg;
                }
            }
        },
        o.weight_decay() != 0, o.centered(), o.momentum() > 0);
}

}  // namespace

// g = g + wd·p;  s = α·s + (1 - α)·g²;  a = √(s - ḡ²) with ḡ = α·ḡ + (1 - α)·g (centered) or √s;
// a = a + ε;  b = μ·b + g/a, p = p - lr·b (momentum)  or  p = p - lr·g/a
void RMSprop::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                     const OptimizerOptions& options) {
    const auto& o = static_cast<const RMSpropOptions&>(options);
    auto& st = static_cast<RMSpropParamState&>(state);
    DESCENT_CHECK(param.is_floating_point(), TypeError,
                  "RMSprop.step(): expected floating parameters, got ", param.dtype());
    if (param.dtype() == kFloat64)
        rmsprop_update<double>(param, grad, st, o);
    else
        rmsprop_update<float>(param, grad, st, o);
}

}  // namespace descent::optim
