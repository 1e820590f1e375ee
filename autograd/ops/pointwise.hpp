// Elementwise ops beyond unary.hpp and arithmetic.hpp: clamp with tensor (or optional) bounds,
// lerp, atan2, the rounding ops (floor, ceil, round, trunc; gradient 0 as PyTorch) and
// nan_to_num. Tensor operands broadcast as in arithmetic.
#pragma once

#include <optional>

#include "descent/core/tensor.hpp"

namespace descent {

// min(max(a, min), max) elementwise with either bound optional (at least one given). Gradient:
// a's where min <= a <= max, min's where a < min, max's where a > max (PyTorch's rule).
Tensor clamp(const Tensor& a, const std::optional<Tensor>& min, const std::optional<Tensor>& max,
             CallSite = {});
Tensor clamp(const Tensor& a, std::optional<float> min, std::optional<float> max, CallSite = {});

// a + weight·(b - a), evaluated as b - (b - a)·(1 - weight) where weight >= 0.5 (as PyTorch, so
// that weight 1 gives b exactly).
Tensor lerp(const Tensor& a, const Tensor& b, float weight, CallSite = {});
Tensor lerp(const Tensor& a, const Tensor& b, const Tensor& weight, CallSite = {});

// The angle of the point (b, a) in (-π, π]: atan2(a, b) elementwise (torch.atan2(input, other)).
Tensor atan2(const Tensor& a, const Tensor& b, CallSite = {});

Tensor floor(const Tensor& a, CallSite = {});
Tensor ceil(const Tensor& a, CallSite = {});
Tensor round(const Tensor& a, CallSite = {});  // halves to even, as torch.round
Tensor trunc(const Tensor& a, CallSite = {});  // toward 0

// NaN -> nan, +inf -> posinf, -inf -> neginf; the defaults are 0 and float's largest and lowest
// finite values. Gradient g where a is finite, else 0.
Tensor nan_to_num(const Tensor& a, std::optional<float> nan = std::nullopt,
                  std::optional<float> posinf = std::nullopt,
                  std::optional<float> neginf = std::nullopt, CallSite = {});

}  // namespace descent
