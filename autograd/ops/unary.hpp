// Elementwise math and activations: exp, log, sqrt, abs, sign, tanh, sigmoid, relu, leaky_relu,
// clamp, sin, cos, log1p, expm1, square, rsqrt, reciprocal, erf.
#pragma once

#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

Tensor exp(const Tensor& a, CallSite = {});
Tensor log(const Tensor& a, CallSite = {});
Tensor sqrt(const Tensor& a, CallSite = {});
Tensor abs(const Tensor& a, CallSite = {});   // gradient sign(a): 0 at the kink
Tensor sign(const Tensor& a, CallSite = {});  // -1, 0 or 1; gradient 0
Tensor tanh(const Tensor& a, CallSite = {});
Tensor sigmoid(const Tensor& a, CallSite = {});
Tensor relu(const Tensor& a, CallSite = {});  // gradient 0 at the kink and g at NaN, as PyTorch
Tensor leaky_relu(const Tensor& a, float negative_slope = 0.01f, CallSite = {});
Tensor clamp(const Tensor& a, float min, float max,
             CallSite = {});  // gradient passes where min <= a <= max
Tensor sin(const Tensor& a, CallSite = {});
Tensor cos(const Tensor& a, CallSite = {});
Tensor log1p(const Tensor& a, CallSite = {});       // log(1 + a), exact near 0
Tensor expm1(const Tensor& a, CallSite = {});       // exp(a) - 1, exact near 0
Tensor square(const Tensor& a, CallSite = {});      // a², recorded as pow(a, 2) (as torch.square)
Tensor rsqrt(const Tensor& a, CallSite = {});       // 1/√a: inf at 0, as PyTorch
Tensor reciprocal(const Tensor& a, CallSite = {});  // 1/a: ±inf at ±0
Tensor erf(const Tensor& a, CallSite = {});         // 2/√π ∫₀ᵃ exp(-t²) dt

}  // namespace descent
