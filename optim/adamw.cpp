// AdamW's options and its update: Adam's fused loop (adam.cpp) with the decay decoupled.
#include "adamw.hpp"

namespace descent::optim {

void AdamWOptions::check(const std::string& optimizer) const {
    detail::check_adam(optimizer, lr_, std::get<0>(betas_), std::get<1>(betas_), eps_,
                       weight_decay_);
}

OptionFields AdamWOptions::fields() {
    return {{{"lr", &lr_},
             {"beta1", &std::get<0>(betas_)},
             {"beta2", &std::get<1>(betas_)},
             {"eps", &eps_},
             {"weight_decay", &weight_decay_}},
            {{"amsgrad", &amsgrad_}}};
}

AdamW::AdamW(std::vector<Tensor> params, AdamWOptions defaults)
    : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

AdamW::AdamW(std::vector<OptimizerParamGroup> groups, AdamWOptions defaults)
    : Optimizer(std::make_unique<AdamWOptions>(defaults)) {
    add_param_groups(std::move(groups));
}

bool AdamW::accepts(const OptimizerOptions& options) const {
    return dynamic_cast<const AdamWOptions*>(&options) != nullptr;
}

void AdamW::init_state(ParamState& state, const Tensor& param,
                       const OptimizerOptions& options) const {
    detail::init_adam_state(state, param, static_cast<const AdamWOptions&>(options).amsgrad());
}

void AdamW::update(Tensor& param, const Tensor& grad, ParamState& state,
                   const OptimizerOptions& options) {
    const auto& o = static_cast<const AdamWOptions&>(options);
    detail::adam_update(param, grad, state,
                        {o.lr(), std::get<0>(o.betas()), std::get<1>(o.betas()), o.eps(),
                         o.weight_decay(), o.amsgrad(), /*decoupled=*/true});
}

}  // namespace descent::optim
