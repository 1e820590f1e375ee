// AdamW's options; the optimizer itself is detail::AdamFamily (adam.hpp) with the decay decoupled.
#include "descent/optim/adamw.hpp"

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

}  // namespace descent::optim
