// Arithmetic with NumPy/PyTorch broadcasting: add, sub, mul, div, neg, pow, and the operators.
// A C++ number acts as a 0-d tensor; dtypes promote as PyTorch's (core/dtype.hpp).
#pragma once

#include <type_traits>

#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

// The tensor operand of an operator. An operator cannot take a defaulted CallSite, so it takes
// this instead, converted implicitly from the Tensor: the converting constructor's defaulted
// argument is evaluated where the user wrote `a * b`, which is thus located as mul(a, b) is.
struct Operand {
    Operand(const Tensor& t, SourceLocation loc = SourceLocation::current())
        : tensor(t), site(loc) {}
    const Tensor& tensor;
    CallSite site;
};

Tensor add(const Tensor& a, const Tensor& b, CallSite = {});
Tensor sub(const Tensor& a, const Tensor& b, CallSite = {});
Tensor mul(const Tensor& a, const Tensor& b, CallSite = {});
Tensor div(const Tensor& a, const Tensor& b, CallSite = {});
Tensor neg(const Tensor& a, CallSite = {});
Tensor pow(const Tensor& a, float exponent, CallSite = {});
// elementwise; a > 0 for a finite gradient
Tensor pow(const Tensor& a, const Tensor& exponent, CallSite = {});

Tensor operator+(Operand a, const Tensor& b);
Tensor operator-(Operand a, const Tensor& b);
Tensor operator*(Operand a, const Tensor& b);
Tensor operator/(Operand a, const Tensor& b);
Tensor operator-(Operand a);

// A C++ number beside a tensor (any arithmetic type) acts as a 0-d tensor of the dtype
// promote_with_scalar gives: x_f32 * 2.0 stays float32, x_i64 * 2 stays int64, x_i64 * 2.5 and
// x_i64 / 2 are float32. (One template per operator, so that `x * 2`, `x * 2.0` and `x * 2.0f`
// all resolve without ambiguity.)
namespace ops_detail {
template <class S>
using IfNumber = std::enable_if_t<std::is_arithmetic_v<S>, Tensor>;
// `value` as a 0-d tensor of promote_with_scalar(t's dtype, is_floating)
Tensor scalar_operand(const Tensor& t, double value, bool is_floating);
template <class S>
Tensor number(const Tensor& t, S value) {
    return scalar_operand(t, static_cast<double>(value), std::is_floating_point_v<S>);
}
}  // namespace ops_detail

template <class S>
ops_detail::IfNumber<S> operator+(Operand a, S b) {
    return add(a.tensor, ops_detail::number(a.tensor, b));
}
template <class S>
ops_detail::IfNumber<S> operator-(Operand a, S b) {
    return sub(a.tensor, ops_detail::number(a.tensor, b));
}
template <class S>
ops_detail::IfNumber<S> operator*(Operand a, S b) {
    return mul(a.tensor, ops_detail::number(a.tensor, b));
}
template <class S>
ops_detail::IfNumber<S> operator/(Operand a, S b) {
    return div(a.tensor, ops_detail::number(a.tensor, b));
}
template <class S>
ops_detail::IfNumber<S> operator+(S a, Operand b) {
    return add(ops_detail::number(b.tensor, a), b.tensor);
}
template <class S>
ops_detail::IfNumber<S> operator-(S a, Operand b) {
    return sub(ops_detail::number(b.tensor, a), b.tensor);
}
template <class S>
ops_detail::IfNumber<S> operator*(S a, Operand b) {
    return mul(ops_detail::number(b.tensor, a), b.tensor);
}
template <class S>
ops_detail::IfNumber<S> operator/(S a, Operand b) {
    return div(ops_detail::number(b.tensor, a), b.tensor);
}

// torch.floor_divide: a / b rounded toward -inf; torch.remainder: a - floor_divide(a, b)·b, the
// sign of b. Integers stay integers (a zero divisor is a ValueError); gradient as PyTorch's:
// none through floor_divide, g (and -g·floor(a/b)) through remainder.
Tensor floor_divide(const Tensor& a, const Tensor& b, CallSite = {});
Tensor remainder(const Tensor& a, const Tensor& b, CallSite = {});

}  // namespace descent
