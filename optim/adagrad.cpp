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
    state->sum = full_like(param, static_cast<float>(o.initial_accumulator_value()));
    return state;
}

// lr_t = lr / (1 + (t - 1)·lr_decay);  g = g + wd·p;  S = S + g²;  p = p - lr_t·g / (√S + ε)
void Adagrad::update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                     const OptimizerOptions& options) {
    const auto& o = static_cast<const AdagradOptions&>(options);
    auto& st = static_cast<AdagradParamState&>(state);
    const double clr = o.lr() / (1 + static_cast<double>(st.step - 1) * o.lr_decay());
    const float neg_clr = static_cast<float>(-clr);
    const float eps = static_cast<float>(o.eps()), wd = static_cast<float>(o.weight_decay());
    const bool decay = o.weight_decay() != 0;

    float* __restrict p = param.data();
    const float* __restrict g = grad.data();
    float* __restrict s = st.sum.data();
    const int64_t n = param.numel();
    // p, g, s: (n,)
    for (int64_t i = 0; i < n; ++i) {
        float gi = g[i];
        if (decay) gi = fmadd(p[i], wd, gi);
        s[i] = fmadd(1.0f * gi, gi, s[i]);
        const float std_dev = std::sqrt(s[i]) + eps;
        p[i] = p[i] + neg_clr * gi / std_dev;
    }
}

}  // namespace descent::optim
