// momentum_option: the option named "momentum" or "beta1" among a group's fields.
#include "descent/optim/scheduler/momentum_option.hpp"

#include <cstring>

#include "descent/core/error.hpp"

namespace descent::optim::detail {

double* momentum_option(Optimizer& optimizer, size_t group, const std::string& who,
                        bool allow_beta1) {
    const OptionFields f = optimizer.param_groups()[group].options().fields();
    double* beta1 = nullptr;
    for (const OptionFields::Number& n : f.numbers) {
        if (std::strcmp(n.name, "momentum") == 0) return n.value;
        if (std::strcmp(n.name, "beta1") == 0) beta1 = n.value;
    }
    DESCENT_CHECK(beta1 && allow_beta1, ValueError, who, ": the ", optimizer.name(),
                  " optimizer has no ", allow_beta1 ? "momentum or beta1" : "momentum",
                  " option to cycle; use cycle_momentum(false)");
    return beta1;
}

}  // namespace descent::optim::detail
