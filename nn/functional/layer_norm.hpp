// layer_norm: normalise each sample over its trailing dims, as torch.nn.functional.layer_norm.
#pragma once

#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// x: (*, normalized_shape) -> same shape: (x - mean) / sqrt(var + eps) · weight + bias, the mean
// and the biased variance taken over the last normalized_shape.size() dims. weight and bias
// (normalized_shape) may be undefined. Composed of descent's ops, so twice differentiable.
// ShapeError when x's trailing dims are not normalized_shape or weight / bias have another shape.
Tensor layer_norm(const Tensor& x, const std::vector<int64_t>& normalized_shape,
                  const Tensor& weight = Tensor(), const Tensor& bias = Tensor(), double eps = 1e-5,
                  CallSite = {});

}  // namespace descent::nn::functional
