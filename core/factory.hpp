// Creating tensors: constant fills, ranges, and tensors from values. (Random ones: random.hpp.)
#pragma once

#include <initializer_list>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

Tensor empty(const Shape& shape);  // uninitialised values
Tensor zeros(const Shape& shape);
Tensor ones(const Shape& shape);
Tensor full(const Shape& shape, float value);
Tensor scalar_tensor(float value);  // shape ()

Tensor empty_like(const Tensor& t);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, float value);

// [start, end) in steps of `step`, as a 1-D tensor.
Tensor arange(float end);
Tensor arange(float start, float end, float step = 1.0f);
// `steps` evenly spaced values from start to end inclusive.
Tensor linspace(float start, float end, int64_t steps);
// The n x n identity matrix.
Tensor eye(int64_t n);

// A 1-D tensor holding `values`: tensor({1, 2, 3}).
Tensor tensor(std::initializer_list<float> values);
// A tensor of `shape` filled from `values` in row-major order; their counts must agree.
Tensor tensor(const std::vector<float>& values, const Shape& shape);

}  // namespace descent
