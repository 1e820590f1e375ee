// linear(x, W, b) = x·Wᵀ + b: the affine map of a fully connected layer, as one autograd node.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// x: (*, in), weight: (out, in), bias: (out) or undefined -> (*, out). The forward is one sgemm
// with the bias broadcast into the output first (beta = 1); the backward is written with descent's
// ops (dx = g·W, dW = gᵀ·x, db = Σ_rows g), so it is twice differentiable.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor(), CallSite = {});

}  // namespace descent::nn::functional
