// The door between Tensors and the elementwise kernels: here a tensor becomes a pointer and its
// sizes (kernels take no Tensor, docs/design.md "Kernels"), and the ops' shared forward steps check
// the inputs (before any allocation), allocate the output and run the kernel. Private to autograd.
#pragma once

#include "descent/core/error.hpp"
#include "descent/core/kernels/elementwise.hpp"
#include "descent/core/tensor.hpp"

namespace descent::ops_detail {

// out = f(a) into a tensor of a's size (out may be a).
// Inputs of any layout are read through a contiguous copy (detail::dense: no copy when already
// contiguous); out must be contiguous.
inline void unary_into(kernels::Unary f, const Tensor& a, Tensor& out, float p0 = 0.0f,
                       float p1 = 0.0f) {
    kernels::unary(f, descent::detail::dense(a).data(), a.numel(), out.data(), p0, p1);
}

// out = f(a, b) into a tensor of their broadcast shape (out may be an operand of that shape).
inline void binary_into(kernels::Binary f, const Tensor& a, const Tensor& b, Tensor& out) {
    kernels::binary(f, descent::detail::dense(a).data(), a.shape(),
                    descent::detail::dense(b).data(), b.shape(), out.data(), out.shape());
}

inline void check_defined(const Tensor& t, const char* op, const char* what = "input") {
    DESCENT_CHECK(t.defined(), ValueError, op, "(): ", what, " is an undefined tensor");
}

// out = f(a), a new tensor of a's shape.
inline Tensor unary_forward(kernels::Unary f, const Tensor& a, const char* op, float p0 = 0.0f,
                            float p1 = 0.0f) {
    check_defined(a, op);
    Tensor out = make_tensor(a.shape());
    unary_into(f, a, out, p0, p1);
    return out;
}

// out = f(a, b) with broadcasting; ShapeError naming `op` and both shapes if they do not broadcast.
inline Tensor binary_forward(kernels::Binary f, const Tensor& a, const Tensor& b, const char* op) {
    check_defined(a, op, "first operand");
    check_defined(b, op, "second operand");
    Tensor out = make_tensor(broadcast_shapes(a.shape(), b.shape(), op));
    binary_into(f, a, b, out);
    return out;
}

}  // namespace descent::ops_detail
