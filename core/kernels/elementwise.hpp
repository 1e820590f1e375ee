// Elementwise kernels: one pass over contiguous buffers of float, double, int64_t or bool (SIMD
// through xtensor + xsimd for the floating types). Binary and ternary kernels broadcast (NumPy
// rules, see rows.hpp), so each operand comes with its shape; callers check shapes first and
// allocate `out` with the broadcast shape. `out` may be the buffer of an operand of its shape.
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
// x, y: (n);  y = f(x). y may be x. int64_t: Neg, Abs and Sign only.
void unary(Unary op, const float* x, int64_t n, float* y, float p0 = 0.0f, float p1 = 0.0f);
void unary(Unary op, const double* x, int64_t n, double* y, double p0 = 0.0, double p1 = 0.0);
void unary(Unary op, const int64_t* x, int64_t n, int64_t* y);

enum class Binary {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Maximum,
    Minimum,
    FloorDivide,  // torch.floor_divide: a / b rounded toward -inf
    Remainder,    // torch.remainder: a - floor(a / b)·b, the sign of b (integers: 0 where b == 0)
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
// a: a_shape, b: b_shape -> out: out_shape (their broadcast);  out = f(a, b). int64_t: Add, Sub,
// Mul, Maximum, Minimum, FloorDivide, Remainder (the op layer refuses b == 0 for the last two).
void binary(Binary op, const float* a, const Shape& a_shape, const float* b, const Shape& b_shape,
            float* out, const Shape& out_shape);
void binary(Binary op, const double* a, const Shape& a_shape, const double* b, const Shape& b_shape,
            double* out, const Shape& out_shape);
void binary(Binary op, const int64_t* a, const Shape& a_shape, const int64_t* b,
            const Shape& b_shape, int64_t* out, const Shape& out_shape);

// a: a_shape, b: b_shape -> out: out_shape (their broadcast);  out = a op b, op one of Eq, Ne, Lt,
// Le, Gt, Ge (a NaN compares unequal to everything, itself included)
void compare(Binary op, const float* a, const Shape& a_shape, const float* b, const Shape& b_shape,
             bool* out, const Shape& out_shape);
void compare(Binary op, const double* a, const Shape& a_shape, const double* b,
             const Shape& b_shape, bool* out, const Shape& out_shape);
void compare(Binary op, const int64_t* a, const Shape& a_shape, const int64_t* b,
             const Shape& b_shape, bool* out, const Shape& out_shape);
void compare(Binary op, const bool* a, const Shape& a_shape, const bool* b, const Shape& b_shape,
             bool* out, const Shape& out_shape);

enum class Logical { And, Or, Xor };
// a: a_shape, b: b_shape -> out: out_shape (their broadcast);  out = a and / or / xor b
void logical(Logical op, const bool* a, const Shape& a_shape, const bool* b, const Shape& b_shape,
             bool* out, const Shape& out_shape);
// The same bit by bit: out = a & b, a | b, a ^ b
void bitwise(Logical op, const int64_t* a, const Shape& a_shape, const int64_t* b,
             const Shape& b_shape, int64_t* out, const Shape& out_shape);
// x, y: (n);  y = !x. y may be x.
void logical_not(const bool* x, int64_t n, bool* y);

enum class Classify { IsNan, IsInf, IsFinite };
// x: (n) -> y: (n);  y = isnan(x), isinf(x) (either sign) or isfinite(x)
void classify(Classify op, const float* x, int64_t n, bool* y);
void classify(Classify op, const double* x, int64_t n, bool* y);

// cond, a, b: their shapes -> out: out_shape (the three broadcast);  out = cond != 0 ? a : b
void where(const float* cond, const Shape& cond_shape, const float* a, const Shape& a_shape,
           const float* b, const Shape& b_shape, float* out, const Shape& out_shape);
void where(const double* cond, const Shape& cond_shape, const double* a, const Shape& a_shape,
           const double* b, const Shape& b_shape, double* out, const Shape& out_shape);
// The same with a bool condition: out = cond ? a : b
void where(const bool* cond, const Shape& cond_shape, const float* a, const Shape& a_shape,
           const float* b, const Shape& b_shape, float* out, const Shape& out_shape);
void where(const bool* cond, const Shape& cond_shape, const double* a, const Shape& a_shape,
           const double* b, const Shape& b_shape, double* out, const Shape& out_shape);
void where(const bool* cond, const Shape& cond_shape, const int64_t* a, const Shape& a_shape,
           const int64_t* b, const Shape& b_shape, int64_t* out, const Shape& out_shape);
void where(const bool* cond, const Shape& cond_shape, const bool* a, const Shape& a_shape,
           const bool* b, const Shape& b_shape, bool* out, const Shape& out_shape);

// x, y: (n);  y += alpha·x: gradient accumulation.
void axpy(float alpha, const float* x, int64_t n, float* y);
void axpy(double alpha, const double* x, int64_t n, double* y);

// y: (n) = value
void fill(float* y, int64_t n, float value);
void fill(double* y, int64_t n, double value);
void fill(int64_t* y, int64_t n, int64_t value);
void fill(bool* y, int64_t n, bool value);

// x: x_shape -> y: y_shape, x broadcast to it (a plain copy when the shapes are equal)
void broadcast_copy(const float* x, const Shape& x_shape, float* y, const Shape& y_shape);
void broadcast_copy(const double* x, const Shape& x_shape, double* y, const Shape& y_shape);
void broadcast_copy(const int64_t* x, const Shape& x_shape, int64_t* y, const Shape& y_shape);
void broadcast_copy(const bool* x, const Shape& x_shape, bool* y, const Shape& y_shape);

}  // namespace descent::kernels
