// Elementwise kernels: one pass over contiguous float buffers, SIMD through xtensor + xsimd.
// Binary and ternary kernels broadcast (NumPy rules, see rows.hpp), so each operand comes with its
// shape; callers check shapes first and allocate `out` with the broadcast shape. `out` may be the
// buffer of an operand of its shape.
#pragma once

#include <cstdint>

#include "descent/core/shape.hpp"

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
// x, y: (n);  y = f(x). y may be x.
void unary(Unary op, const float* x, int64_t n, float* y, float p0 = 0.0f, float p1 = 0.0f);

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
// a: a_shape, b: b_shape -> out: out_shape (their broadcast);  out = f(a, b)
void binary(Binary op, const float* a, const Shape& a_shape, const float* b, const Shape& b_shape,
            float* out, const Shape& out_shape);

// cond, a, b: their shapes -> out: out_shape (the three broadcast);  out = cond != 0 ? a : b
void where(const float* cond, const Shape& cond_shape, const float* a, const Shape& a_shape,
           const float* b, const Shape& b_shape, float* out, const Shape& out_shape);

// x, y: (n);  y += alpha·x: gradient accumulation.
void axpy(float alpha, const float* x, int64_t n, float* y);
// y: (n) = value
void fill(float* y, int64_t n, float value);
// x: x_shape -> y: y_shape, x broadcast to it (a plain copy when the shapes are equal)
void broadcast_copy(const float* x, const Shape& x_shape, float* y, const Shape& y_shape);

}  // namespace descent::kernels
