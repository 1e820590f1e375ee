// Elementwise kernels: one pass over contiguous float buffers, SIMD through xtensor + xsimd.
// Binary and ternary kernels broadcast (NumPy rules, see rows.hpp); callers check shapes first and
// allocate `out` with the broadcast shape. `out` may be the same tensor as an operand of its shape.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent::kernels {

enum class Unary {
    Neg,
    Exp,
    Log,
    Sqrt,
    Abs,
    Sign,
    Tanh,
    Sigmoid,
    Sin,
    Cos,
    Log1p,
    Expm1,
    Rsqrt,       // 1/sqrt(x): inf at 0, as PyTorch
    Reciprocal,  // 1/x
    Erf,
    // p0 = beta, p1 = threshold: x where beta·x > threshold, else log1p(exp(beta·x))/beta
    Softplus,
    Relu,
    LeakyRelu,  // p0 = negative slope
    Clamp,      // p0 = min, p1 = max
    Pow,        // p0 = exponent
    Affine,     // p0 * x + p1
};
// out = f(in), same shape.
void unary(Unary op, const Tensor& in, Tensor& out, float p0 = 0.0f, float p1 = 0.0f);

enum class Binary {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Maximum,
    Minimum,
    // comparisons: masks of 1.0 where true, 0.0 where false
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Same,  // 1 where a == b or both are NaN: where an extreme sits, a NaN one included
    // relu's backward, PyTorch's threshold_backward: 0 where b <= 0, else a (so a NaN b passes a)
    GradUnlessNonPositive,
};
// out = f(a, b), broadcast.
void binary(Binary op, const Tensor& a, const Tensor& b, Tensor& out);

// out = cond != 0 ? a : b, broadcast.
void where(const Tensor& cond, const Tensor& a, const Tensor& b, Tensor& out);

// out += alpha * x, same shape: gradient accumulation and optimizer updates.
void axpy(float alpha, const Tensor& x, Tensor& out);
void fill(Tensor& out, float value);
// out = in broadcast to out's shape (a plain copy when the shapes are equal).
void broadcast_copy(const Tensor& in, Tensor& out);

}  // namespace descent::kernels
