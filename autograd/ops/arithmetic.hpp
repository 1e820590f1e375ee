// Arithmetic with NumPy/PyTorch broadcasting: add, sub, mul, div, neg, pow, and the operators.
// A float operand acts as a 0-d tensor.
#pragma once

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
Tensor operator+(Operand a, float b);
Tensor operator-(Operand a, float b);
Tensor operator*(Operand a, float b);
Tensor operator/(Operand a, float b);
Tensor operator+(float a, Operand b);
Tensor operator-(float a, Operand b);
Tensor operator*(float a, Operand b);
Tensor operator/(float a, Operand b);

}  // namespace descent
