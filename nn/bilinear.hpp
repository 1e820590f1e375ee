// Bilinear: y = x1ᵀ·A·x2 + b, torch.nn.Bilinear. Initialised as PyTorch's: weight and bias both
// U(-1/√in1, 1/√in1); state-dict keys weight (out, in1, in2) and bias (out).
#pragma once

#include <cstdint>

#include "descent/nn/module.hpp"

namespace descent::nn {

class Bilinear : public Module {
public:
    // ValueError unless all three feature counts are > 0.
    Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features, bool bias = true);
    // input1 (*, in1), input2 (*, in2) -> (*, out), through functional::bilinear.
    Tensor forward(const Tensor& input1, const Tensor& input2);
    // A Bilinear takes two inputs: ValueError pointing to forward(input1, input2).
    Tensor forward(const Tensor& x) override;
    // Re-draws the weight and bias from the default generator, as the constructor does.
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t in1_features, in2_features, out_features;
    Tensor weight;  // (out_features, in1_features, in2_features)
    Tensor bias;    // (out_features), undefined when constructed with bias = false
};

}  // namespace descent::nn
