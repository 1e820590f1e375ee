// Where OneCycleLR and CyclicLR write the momentum they cycle: a group's "momentum" option (SGD,
// RMSprop) or, failing that, its "beta1" (Adam and its kin), found by state-dict name.
#pragma once

#include <string>

#include "descent/optim/optimizer.hpp"

namespace descent::optim::detail {

// The option of group `group` to cycle; ValueError naming `who` if the optimizer has neither (or,
// with allow_beta1 false, has no "momentum", as torch's CyclicLR).
double* momentum_option(Optimizer& optimizer, size_t group, const std::string& who,
                        bool allow_beta1 = true);

}  // namespace descent::optim::detail
