// Custom ops: record an output computed by any means (a hand-written kernel, another library) with
// a backward you write yourself. It then takes part in backward like any built-in op.
//
//   Tensor y = autograd::custom_op("Cube", {x}, cube_values(x), [x](const Tensor& g) {
//       return std::vector<Tensor>{g * 3.0f * x * x};  // dL/dx = g · 3x²
//   });
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::autograd {

// Receives dL/d(output); returns dL/d(input i) for each input (undefined for one needing none).
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& grad)>;

// A tensor with `output`'s values whose grad_fn is a node named `name`, connected to `inputs`, that
// runs `backward`. If backward is written with descent's ops, second-order gradients work; if not,
// pass once_differentiable = true and create_graph through it throws instead of being wrong.
Tensor custom_op(std::string name, const std::vector<Tensor>& inputs, const Tensor& output,
                 BackwardFn backward, bool once_differentiable = false);

}  // namespace descent::autograd
