// The door between Tensors and the elementwise kernels: here a tensor becomes a pointer and its
// sizes (kernels take no Tensor, docs/design.md "Kernels"), and the ops' shared forward steps check
// the inputs (before any allocation), allocate the output and run the kernel of the compute dtype
// (PyTorch's promotion, core/dtype.hpp; float32 goes straight through). Private to autograd.
#pragma once

#include "descent/core/error.hpp"
#include "descent/core/kernels/copy.hpp"
#include "descent/core/kernels/elementwise.hpp"
#include "descent/core/tensor.hpp"

namespace descent::ops_detail {

inline void check_defined(const Tensor& t, const char* op, const char* what = "input") {
    DESCENT_CHECK(t.defined(), ValueError, op, "(): ", what, " is an undefined tensor");
}

// The dtype a unary op computes and returns for an input of dtype t: floating dtypes stay;
// integers and bools keep their kind only through neg, abs and sign (int64), and every float
// math op (exp, sigmoid, ...) reads them as float32, as PyTorch.
inline ScalarType unary_dtype(kernels::Unary f, ScalarType t) {
    if (is_floating_point(t)) return t;
    using U = kernels::Unary;
    return f == U::Neg || f == U::Abs || f == U::Sign ? kInt64 : kFloat32;
}

// The dtype a binary op computes in, and the dtype of its result.
struct BinaryDtypes {
    ScalarType compute, result;
};
inline BinaryDtypes binary_dtypes(kernels::Binary f, ScalarType a, ScalarType b, const char* op) {
    using B = kernels::Binary;
    const ScalarType t = promote_types(a, b);
    if (is_floating_point(t)) return {t, t};
    switch (f) {
        case B::Sub:
            DESCENT_CHECK(t != kBool, TypeError, op,
                          "(): subtracting bool tensors is not supported (as in PyTorch); use "
                          "logical_xor() or convert with .to(kInt64)");
            return {kInt64, t};
        case B::Add:  // bool + bool is bool (logical or), bool * bool logical and, as PyTorch
        case B::Mul:
        case B::Maximum:
        case B::Minimum: return {kInt64, t};
        case B::FloorDivide:
        case B::Remainder: return {kInt64, t == kBool ? kInt64 : t};
        case B::Pow: return {kFloat64, t == kBool ? kInt64 : t};  // exact for any int64 result
        default: return {kFloat32, kFloat32};  // div is true division; masks of integers as floats
    }
}

namespace detail {

// Writes `src` (contiguous, out's shape) into out, converting the dtype.
inline void convert_into(const Tensor& src, Tensor& out) {
    kernels::convert(src.dtype(), src.impl()->first_raw(), src.strides(), out.dtype(),
                     out.impl()->first_raw(), out.strides(), out.shape());
}

// out = f(a) for an input or output other than float32: through the compute dtype's kernel.
inline void unary_any(kernels::Unary f, const Tensor& a, Tensor& out, double p0, double p1) {
    const ScalarType c = unary_dtype(f, a.dtype());
    const Tensor x = descent::detail::converted(a, c);
    Tensor y = out.dtype() == c ? out : make_tensor(out.shape(), c);
    if (c == kFloat32)
        kernels::unary(f, x.data<float>(), x.numel(), y.data<float>(), float(p0), float(p1));
    else if (c == kFloat64)
        kernels::unary(f, x.data<double>(), x.numel(), y.data<double>(), p0, p1);
    else
        kernels::unary(f, x.data<int64_t>(), x.numel(), y.data<int64_t>());
    if (!y.is_same(out)) convert_into(y, out);
}

inline void binary_any(kernels::Binary f, const Tensor& a, const Tensor& b, Tensor& out,
                       const char* op) {
    const ScalarType c = binary_dtypes(f, a.dtype(), b.dtype(), op).compute;
    const Tensor x = descent::detail::converted(a, c), z = descent::detail::converted(b, c);
    Tensor y = out.dtype() == c ? out : make_tensor(out.shape(), c);
    if (c == kFloat32)
        kernels::binary(f, x.data<float>(), x.shape(), z.data<float>(), z.shape(), y.data<float>(),
                        y.shape());
    else if (c == kFloat64)
        kernels::binary(f, x.data<double>(), x.shape(), z.data<double>(), z.shape(),
                        y.data<double>(), y.shape());
    else
        kernels::binary(f, x.data<int64_t>(), x.shape(), z.data<int64_t>(), z.shape(),
                        y.data<int64_t>(), y.shape());
    if (!y.is_same(out)) convert_into(y, out);
}

}  // namespace detail

// out = f(a) into a tensor of a's size (out may be a); out's dtype is unary_dtype's or one the
// result converts to. Inputs of any layout are read through a contiguous copy (detail::dense: no
// copy when already contiguous); out must be contiguous.
inline void unary_into(kernels::Unary f, const Tensor& a, Tensor& out, double p0 = 0.0,
                       double p1 = 0.0) {
    if (a.dtype() == kFloat32 && out.dtype() == kFloat32)
        kernels::unary(f, descent::detail::dense(a).data(), a.numel(), out.data(), float(p0),
                       float(p1));
    else
        detail::unary_any(f, a, out, p0, p1);
}

// out = f(a, b) into a tensor of their broadcast shape (out may be an operand of that shape).
inline void binary_into(kernels::Binary f, const Tensor& a, const Tensor& b, Tensor& out,
                        const char* op = "binary") {
    if (a.dtype() == kFloat32 && b.dtype() == kFloat32 && out.dtype() == kFloat32)
        kernels::binary(f, descent::detail::dense(a).data(), a.shape(),
                        descent::detail::dense(b).data(), b.shape(), out.data(), out.shape());
    else
        detail::binary_any(f, a, b, out, op);
}

// out = f(a), a new tensor of a's shape and unary_dtype.
inline Tensor unary_forward(kernels::Unary f, const Tensor& a, const char* op, double p0 = 0.0,
                            double p1 = 0.0) {
    check_defined(a, op);
    Tensor out = make_tensor(a.shape(), unary_dtype(f, a.dtype()));
    unary_into(f, a, out, p0, p1);
    return out;
}

// out = f(a, b) with broadcasting, in binary_dtypes' result dtype; ShapeError naming `op` and both
// shapes if they do not broadcast.
inline Tensor binary_forward(kernels::Binary f, const Tensor& a, const Tensor& b, const char* op) {
    check_defined(a, op, "first operand");
    check_defined(b, op, "second operand");
    const Shape shape = broadcast_shapes(a.shape(), b.shape(), op);
    Tensor out = make_tensor(shape, binary_dtypes(f, a.dtype(), b.dtype(), op).result);
    binary_into(f, a, b, out, op);
    return out;
}

// A bool mask out = a op b (op one of Eq, Ne, Lt, Le, Gt, Ge) compared in the promoted dtype.
Tensor compare_forward(kernels::Binary f, const Tensor& a, const Tensor& b, const char* op);

}  // namespace descent::ops_detail
