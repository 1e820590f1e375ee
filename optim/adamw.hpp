// AdamW: Adam with decoupled weight decay (p shrinks by lr·wd before the Adam step, instead of wd·p
// joining the gradient), exactly as torch.optim.AdamW; weight_decay defaults to 1e-2.
#pragma once

#include "descent/optim/adam.hpp"

namespace descent::optim {

#define DESCENT_ADAMW_OPTIONS(NUMBER, FLAG, PAIR) \
    DESCENT_ADAM_FAMILY_OPTIONS(NUMBER, FLAG, PAIR, 1e-2)

struct AdamWOptions : OptimizerCloneableOptions<AdamWOptions> {
    AdamWOptions(double lr = 1e-3) : lr_(lr) {}
    DESCENT_OPTIONS(DESCENT_ADAMW_OPTIONS)
};

class AdamW : public detail::AdamFamily<AdamW, AdamWOptions, /*Decoupled=*/true> {
public:
    using AdamFamily::AdamFamily;
    static constexpr const char* type_name = "AdamW";
};

}  // namespace descent::optim
