// Adagrad's options and its update: one pass over each parameter, in torch.optim.Adagrad's float
// arithmetic and order (_single_tensor_adagrad in PyTorch 1.13). Compiled with -ffp-contract=off
// -fno-math-errno, as every optim/*.cpp (cmake/DescentLibrary.cmake): fmadd marks the multiply-adds
// torch fuses.
#include "descent/optim/adagrad.hpp"

#include <cmath>

#include "descent/core/factory.hpp"
#include "descent/optim/update_math.hpp"

namespace descent::optim {

using detail::fmadd;

OptionFields AdagradOptions::fields() {
    OptionFields f;
    f.numbers = {{"lr", &lr_, Require::nonneg},
                 {"lr_decay", &lr_decay_, Require::nonneg},
                 {"weight_decay", &weight_decay_, Require::nonneg},
                 {"initial_accumulator_value", &initial_accumulator_value_, Require::nonneg},
                 {"eps", &eps_, Require::nonneg}};
    f.flags = {{"maximize", &maximize_, true}};
    return f;
}

Adagrad::Adagrad(std::vector<Tensor> params, const AdagradOptions& defaults)
    : Adagrad(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Adagrad::Adagrad(std::vector<OptimizerParamGroup> groups, const AdagradOptions& defaults)
    : Optimizer("Adagrad", std::move(groups), std::make_unique<AdagradOptions>(defaults)) {}

std::unique_ptr<OptimizerParamState> Adagrad::make_state(const Tensor& param,
                                                         const OptimizerOptions& options) const {
    const auto& o = static_cast<const AdagradOptions&>(options);
    auto state = std::make_unique<AdagradParamState>();
    state->sum = full_like(param, o.initial_accumulator_value());  // in the parameter's dtype
    return state;
}

namespace {

// The loop of Adagrad::update in T, the parameter's element type (float: torch's arithmetic).
template <class T>
void adagrad_update(Tensor& param, const Tensor& grad, AdagradParamState& st,
                    const AdagradOptions& o, double clr) {
    const T neg_clr = static_cast<T>(-clr);
    const T eps = static_cast<T>(o.eps()), wd = static_cast<T>(o.weight_decay());
    const T sign = o.maximize() ? T(-1) : T(1);  // exact: torch's maximize negates g
    const bool decay = o.weight_decay() != 0;
    T* __restrict p = param.data<T>();
    const T* __restrict g = grad.data<T>();
    T* __restrict s = st.sum.data<T>();
    const int64_t n = param.numel();
    // p, g, s: (n,)
    for (int64_t i = 0; i < n; ++i) {
        T gi = sign * g[i];
        if (decay) gi = fmadd(p[i], wd, gi);
        s[i] = fmadd(T(1) * gi, gi, s[i]);
        const T std_dev = std::sqrt(s[i]) + eps;
        p[i] = p[i] + neg_clr * gi / std_dev;
    }
}

}  // namespace

// lr_t = lr / (1 + (t - 1)·lr_decay);  g = g + wd·p;  S = S + g²;  p = p - lr_t·g / (√S + ε)
void Adagrad::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                     const OptimizerOptions& options) {
    const auto& o = static_cast<const AdagradOptions&>(options);
    auto& st = static_cast<AdagradParamState&>(state);
    const double clr = o.lr() / (1 + static_cast<double>(st.step - 1) * o.lr_decay());
    DESCENT_CHECK(param.is_floating_point(), TypeError,
                  "Adagrad.step(): expected floating parameters, got ", param.dtype());
    if (param.dtype() == kFloat64)
        adagrad_update<double>(param, grad, st, o, clr);
    else
        adagrad_update<float>(param, grad, st, o, clr);
}

}  // namespace descent::optim
