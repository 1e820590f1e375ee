// Arithmetic with NumPy/PyTorch broadcasting: add, sub, mul, div, neg, pow, and the operators.
// A float operand acts as a 0-d tensor.
#pragma once

#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b, SourceLocation loc = SourceLocation::current());
Tensor neg(const Tensor& a);
Tensor pow(const Tensor& a, float exponent, SourceLocation loc = SourceLocation::current());
// elementwise; a > 0 for a finite gradient
Tensor pow(const Tensor& a, const Tensor& exponent, SourceLocation loc = SourceLocation::current());

Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator-(const Tensor& a);
Tensor operator+(const Tensor& a, float b);
Tensor operator-(const Tensor& a, float b);
Tensor operator*(const Tensor& a, float b);
Tensor operator/(const Tensor& a, float b);
Tensor operator+(float a, const Tensor& b);
Tensor operator-(float a, const Tensor& b);
Tensor operator*(float a, const Tensor& b);
Tensor operator/(float a, const Tensor& b);

}  // namespace descent
