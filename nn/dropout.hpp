// Dropout, Dropout1d and Dropout2d: inverted dropout while training (zero each element, or each
// whole channel, with probability p, scale the rest by 1/(1-p)), the identity in eval mode.
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

protected:
    Dropout(std::string type_name, float p);  // checks p, naming type_name
};

// Channel dropout for (N, C, H, W) or (C, H, W) inputs: each channel is kept or zeroed whole, as
// torch.nn.Dropout2d (neighbouring pixels of a feature map are correlated, so per-element dropout
// barely regularises convolutions).
class Dropout2d : public Dropout {
public:
    // ValueError unless 0 <= p <= 1.
    explicit Dropout2d(float p = 0.5f);
    // functional::dropout2d(x, p, is_training()); ShapeError naming Dropout2d for another rank.
    Tensor forward(const Tensor& x) override;
};

// Channel dropout for (N, C, L) or (C, L) inputs, as torch.nn.Dropout1d: each channel of a
// sequence is kept or zeroed whole.
class Dropout1d : public Dropout {
public:
    // ValueError unless 0 <= p <= 1.
    explicit Dropout1d(float p = 0.5f);
    // functional::dropout1d(x, p, is_training()); ShapeError naming Dropout1d for another rank.
    Tensor forward(const Tensor& x) override;
};

}  // namespace descent::nn
