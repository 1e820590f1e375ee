// Elementwise math and activations: exp, log, sqrt, abs, sign, tanh, sigmoid, relu, leaky_relu,
// clamp.
#pragma once

#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

Tensor exp(const Tensor& a, SourceLocation loc = SourceLocation::current());
Tensor log(const Tensor& a, SourceLocation loc = SourceLocation::current());
Tensor sqrt(const Tensor& a, SourceLocation loc = SourceLocation::current());
Tensor abs(const Tensor& a);   // gradient sign(a): 0 at the kink
Tensor sign(const Tensor& a);  // -1, 0 or 1; gradient 0
Tensor tanh(const Tensor& a);
Tensor sigmoid(const Tensor& a);
Tensor relu(const Tensor& a);  // gradient 0 at the kink, as PyTorch
Tensor leaky_relu(const Tensor& a, float negative_slope = 0.01f);
Tensor clamp(const Tensor& a, float min, float max);  // gradient passes where min <= a <= max

}  // namespace descent
