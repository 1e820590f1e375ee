// Shared forward steps of the elementwise ops: check the inputs (before any allocation), allocate
// the output, run the kernel. Private to autograd/ops.
#pragma once

#include "descent/core/error.hpp"
#include "descent/core/kernels/elementwise.hpp"

namespace descent::ops_detail {

inline void check_defined(const Tensor& t, const char* op, const char* what = "input") {
    DESCENT_CHECK(t.defined(), ValueError, op, "(): ", what, " is an undefined tensor");
}

// out = f(a), a new tensor of a's shape.
inline Tensor unary_forward(kernels::Unary f, const Tensor& a, const char* op, float p0 = 0.0f,
                            float p1 = 0.0f) {
    check_defined(a, op);
    Tensor out = make_tensor(a.shape());
    kernels::unary(f, a, out, p0, p1);
    return out;
}

// out = f(a, b) with broadcasting; ShapeError naming `op` and both shapes if they do not broadcast.
inline Tensor binary_forward(kernels::Binary f, const Tensor& a, const Tensor& b, const char* op) {
    check_defined(a, op, "first operand");
    check_defined(b, op, "second operand");
    Tensor out = make_tensor(broadcast_shapes(a.shape(), b.shape(), op));
    kernels::binary(f, a, b, out);
    return out;
}

}  // namespace descent::ops_detail
