// Creating tensors: constant fills, ranges, and tensors from values. (Random ones: random.hpp.)
#pragma once

#include <cstddef>
#include <initializer_list>
#include <type_traits>
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

namespace detail {
Tensor tensor_from_doubles(const double* values, size_t n, const Shape& shape);
}

// The same from doubles: tensor({0.1, 0.2}), tensor(std::vector<double>{...}, {2, 3}). Each value
// is rounded to float; a finite one beyond float's range is a ValueError (torch.tensor silently
// makes it inf), while inf and NaN pass through. Templates only so that T is deduced from a
// list of doubles or a std::vector<double> alone: tensor({1, 2}) and tensor({1.f, 2.f}) still pick
// the float forms, and a braced list with a shape, tensor({1, 2}, {2}), the float vector.
template <class T, std::enable_if_t<std::is_same_v<T, double>, int> = 0>
Tensor tensor(std::initializer_list<T> values) {
    return detail::tensor_from_doubles(values.begin(), values.size(),
                                       {static_cast<int64_t>(values.size())});
}
template <class T, std::enable_if_t<std::is_same_v<T, double>, int> = 0>
Tensor tensor(const std::vector<T>& values, const Shape& shape) {
    return detail::tensor_from_doubles(values.data(), values.size(), shape);
}

}  // namespace descent
