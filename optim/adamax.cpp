// Adamax's options and its update: one pass over each parameter, in torch.optim.Adamax's float
// arithmetic and order (_single_tensor_adamax in PyTorch 1.13). Compiled with -ffp-contract=off
// -fno-math-errno, as every optim/*.cpp: fmadd marks the multiply-adds torch fuses.
#include "descent/optim/adamax.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;
using detail::maximum;

OptionFields AdamaxOptions::fields() {
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"beta1", &std::get<0>(betas_), Require::unit},
                 {"beta2", &std::get<1>(betas_), Require::unit},
                 {"eps", &eps_, Require::nonneg},
                 {"weight_decay", &weight_decay_, Require::nonneg}};
    f.flags = {{"maximize", &maximize_}};
    return f;
}

Adamax::Adamax(std::vector<Tensor> params, const AdamaxOptions& defaults)
    : Adamax(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Adamax::Adamax(std::vector<OptimizerParamGroup> groups, const AdamaxOptions& defaults)
    : Optimizer("Adamax", std::move(groups), std::make_unique<AdamaxOptions>(defaults)) {}

std::unique_ptr<OptimizerParamState> Adamax::make_state(const Tensor& param,
                                                        const OptimizerOptions&) const {
    auto state = std::make_unique<AdamaxParamState>();
    state->exp_avg = zeros_like(param);
    state->exp_inf = zeros_like(param);
    return state;
}

namespace {

template <class T>
void adamax_update(Tensor& param, const Tensor& grad, AdamaxParamState& s, const AdamaxOptions& o,
                   double clr) {
    const double beta1 = std::get<0>(o.betas()), beta2 = std::get<1>(o.betas());
    const T b1 = static_cast<T>(beta1), one_minus_b1 = static_cast<T>(1 - beta1);
    const T b2 = static_cast<T>(beta2), eps = static_cast<T>(o.eps());
    const T wd = static_cast<T>(o.weight_decay()), neg_clr = static_cast<T>(-clr);
    const T sign = o.maximize() ? T(-1) : T(1);  // exact: -g as torch's maximize
    const int64_t n = param.numel();
    detail::with_switches(
        [=, &param, &grad, &s](auto decay) {
            T* __restrict p = param.data<T>();
            const T* __restrict g = grad.data<T>();
            T* __restrict m = s.exp_avg.data<T>();
            T* __restrict u = s.exp_inf.data<T>();
            // p, g, m, u: (n,)
            for (int64_t i = 0; i < n; ++i) {
                T gi = sign * g[i];
                if constexpr (decay) gi = fmadd(p[i], wd, gi);
                m[i] = fmadd(gi, one_minus_b1, m[i] * b1);
                u[i] = maximum(u[i] * b2, std::fabs(gi) + eps);  // torch.amax: NaN wins
                p[i] = p[i] + neg_clr * m[i] / u[i];
            }
        },
        o.weight_decay() != 0);
}

}  // namespace

// g = ±g (maximize) + wd·p;  m = β1·m + (1 - β1)·g;  u = max(β2·u, |g| + ε);
// p = p - lr/(1 - β1^t) · m/u
void Adamax::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                    const OptimizerOptions& options) {
    const auto& o = static_cast<const AdamaxOptions&>(options);
    auto& s = static_cast<AdamaxParamState&>(state);
    DESCENT_CHECK(param.is_floating_point(), TypeError,
                  "Adamax.step(): expected floating parameters, got ", param.dtype());
    const double bias_correction =
        1 - std::pow(std::get<0>(o.betas()), static_cast<double>(s.step));
    const double clr = o.lr() / bias_correction;
    if (param.dtype() == kFloat64)
        adamax_update<double>(param, grad, s, o, clr);
    else
        adamax_update<float>(param, grad, s, o, clr);
}

}  // namespace descent::optim
