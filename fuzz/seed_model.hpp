// The model and optimizer behind the checkpoint seed and fuzz_checkpoint: a Linear(3, 2) with a
// fixed seed and Adam after one step, so that the optimizer's state dict is not empty.
#pragma once

#include <memory>

#include "descent/core/factory.hpp"
#include "descent/core/random.hpp"
#include "descent/nn/linear.hpp"
#include "descent/optim/adam.hpp"

namespace fuzz {

struct SeedModel {
    descent::nn::Linear model{3, 2};
    std::unique_ptr<descent::optim::Adam> opt;
    SeedModel() {
        descent::manual_seed(1);
        model.reset_parameters();
        opt = std::make_unique<descent::optim::Adam>(model.parameters(),
                                                     descent::optim::AdamOptions(0.01));
        model.forward(descent::ones({4, 3})).sum().backward();
        opt->step();
    }
};

}  // namespace fuzz
