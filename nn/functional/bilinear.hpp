// bilinear, torch.nn.functional.bilinear: y = x1ᵀ·A·x2 + b for each output feature, composed from
// einsum (batched matrix products) and add, so it is differentiable to every order.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// input1 (*, in1), input2 (*, in2) with the same leading dims, weight (out, in1, in2), bias (out)
// or undefined -> (*, out): y[..., o] = Σ_ij input1[..., i]·weight[o, i, j]·input2[..., j] + b[o].
// ShapeError naming bilinear() and the shapes for any mismatch, before computing.
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias = {}, CallSite = {});

namespace detail {
Tensor bilinear(const char* who, const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias);
}  // namespace detail

}  // namespace descent::nn::functional
