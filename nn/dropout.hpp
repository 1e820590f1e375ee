// Dropout: inverted dropout while training (zero each element with probability p, scale the rest
// by 1/(1-p)), the identity in eval mode.
#pragma once

#include "descent/nn/module.hpp"

namespace descent::nn {

class Dropout : public Module {
public:
    // ValueError unless 0 <= p <= 1.
    explicit Dropout(float p = 0.5f);
    // functional::dropout(x, p, is_training()), drawing from the default generator.
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    float p;
};

}  // namespace descent::nn
