// Creating tensors: constant fills, ranges, and tensors from values, float32 unless a dtype or
// TensorOptions says otherwise: zeros({2, 3}, kInt64), arange(10, kInt64). (Random: random.hpp.)
#pragma once

#include <cstddef>
#include <initializer_list>
#include <type_traits>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// options.requires_grad() makes a leaf that requires grad (floating dtypes only, as PyTorch).
Tensor empty(const Shape& shape, TensorOptions options = {});  // uninitialised values
Tensor zeros(const Shape& shape, TensorOptions options = {});
Tensor ones(const Shape& shape, TensorOptions options = {});
// `value` converted to the dtype; a fractional or NaN value for an integer dtype is a ValueError.
Tensor full(const Shape& shape, double value, TensorOptions options = {});
Tensor scalar_tensor(double value, TensorOptions options = {});  // shape ()

// The same shape and, unless options say otherwise, the same dtype as t.
Tensor empty_like(const Tensor& t);
Tensor empty_like(const Tensor& t, TensorOptions options);
Tensor zeros_like(const Tensor& t);
Tensor zeros_like(const Tensor& t, TensorOptions options);
Tensor ones_like(const Tensor& t);
Tensor ones_like(const Tensor& t, TensorOptions options);
Tensor full_like(const Tensor& t, double value);
Tensor full_like(const Tensor& t, double value, TensorOptions options);

// [start, end) in steps of `step`, as a 1-D tensor.
Tensor arange(double end, TensorOptions options = {});
Tensor arange(double start, double end, double step = 1.0, TensorOptions options = {});
// `steps` evenly spaced values from start to end inclusive (floating dtypes).
Tensor linspace(double start, double end, int64_t steps, TensorOptions options = {});
// The n x n identity matrix.
Tensor eye(int64_t n, TensorOptions options = {});

// A 1-D tensor holding `values`: tensor({1, 2, 3}) is float32 (unlike libtorch, where a list of
// integers is int64: write tensor({1, 2, 3}, kInt64) or tensor(std::vector<int64_t>{...})).
Tensor tensor(std::initializer_list<float> values);
// tensor({1, 2, 3}, kInt64): the values in the given dtype (O deduced, so that a braced shape,
// tensor({9}, {}), still picks the float vector with a shape).
namespace detail {
Tensor tensor_from_list(std::initializer_list<double> values, TensorOptions options);
}
template <class O, std::enable_if_t<
                       std::is_same_v<O, TensorOptions> || std::is_same_v<O, ScalarType>, int> = 0>
Tensor tensor(std::initializer_list<double> values, O options) {
    return detail::tensor_from_list(values, options);
}
// A tensor of `shape` filled from `values` in row-major order; their counts must agree.
Tensor tensor(const std::vector<float>& values, const Shape& shape);

namespace detail {
// values[0..n) of dtype `from` into a tensor of `shape` and dtype `to`; checks as described below.
Tensor tensor_from(const void* values, ScalarType from, size_t n, const Shape& shape,
                   TensorOptions to);
template <class T>
inline constexpr bool is_tensor_element_v =
    std::is_same_v<T, double> || std::is_same_v<T, int64_t> || std::is_same_v<T, bool>;
}  // namespace detail

// From a list of doubles, tensor({0.1, 0.2}), or a std::vector of double, int64_t or bool, with
// or without a shape (without: 1-D) and a dtype. The dtype is torch.tensor's: float32 from
// doubles, int64 from int64_t, bool from bool, unless options say otherwise. Each double bound for
// float32 is rounded to float; a finite one beyond float's range is a ValueError (torch.tensor
// silently makes it inf), while inf and NaN pass through; for an integer dtype a fractional or
// non-finite value is a ValueError. Templates only so that T is deduced from a list of doubles or
// a std::vector alone: tensor({1, 2}) and tensor({1.f, 2.f}) still pick the float forms, and a
// braced list with a shape, tensor({1, 2}, {2}), the float vector.
template <class T, std::enable_if_t<std::is_same_v<T, double>, int> = 0>
Tensor tensor(std::initializer_list<T> values) {
    return detail::tensor_from(values.begin(), kFloat64, values.size(),
                               {static_cast<int64_t>(values.size())}, kFloat32);
}
template <class T, std::enable_if_t<detail::is_tensor_element_v<T>, int> = 0>
Tensor tensor(const std::vector<T>& values, const Shape& shape, TensorOptions options) {
    if constexpr (std::is_same_v<T, bool>) {  // std::vector<bool> packs bits: no data()
        const std::vector<uint8_t> bytes(values.begin(), values.end());
        return detail::tensor_from(bytes.data(), kBool, bytes.size(), shape, options);
    } else {
        return detail::tensor_from(values.data(), dtype_of_v<T>, values.size(), shape, options);
    }
}
template <class T, std::enable_if_t<detail::is_tensor_element_v<T>, int> = 0>
Tensor tensor(const std::vector<T>& values, const Shape& shape) {
    return tensor(values, shape, std::is_same_v<T, double> ? kFloat32 : dtype_of_v<T>);
}
template <class T, std::enable_if_t<detail::is_tensor_element_v<T>, int> = 0>
Tensor tensor(const std::vector<T>& values) {
    return tensor(values, Shape{static_cast<int64_t>(values.size())});
}
// (O is deduced, so that a braced shape, tensor(values, {2, 3}), never reaches this form.)
template <class T, class O,
          std::enable_if_t<detail::is_tensor_element_v<T> &&
                               (std::is_same_v<O, TensorOptions> || std::is_same_v<O, ScalarType>),
                           int> = 0>
Tensor tensor(const std::vector<T>& values, O options) {
    return tensor(values, Shape{static_cast<int64_t>(values.size())}, options);
}

}  // namespace descent
