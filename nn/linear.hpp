// Linear: y = x·Wᵀ + b, the fully connected layer. Initialised as PyTorch's: the weight by
// kaiming_uniform_(a = √5), i.e. U(-1/√in, 1/√in), and the bias U(-1/√in, 1/√in).
#pragma once

#include <cstdint>

#include "descent/nn/module.hpp"

namespace descent::nn {

class Linear : public Module {
public:
    // ValueError unless in_features > 0 and out_features > 0.
    Linear(int64_t in_features, int64_t out_features, bool bias = true);
    // x: (*, in_features) -> (*, out_features), through functional::linear (one node).
    Tensor forward(const Tensor& x) override;
    // Re-draws the weight and bias from the default generator, as the constructor does.
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t in_features, out_features;
    Tensor weight;  // (out_features, in_features)
    Tensor bias;    // (out_features), undefined when constructed with bias = false
};

}  // namespace descent::nn
