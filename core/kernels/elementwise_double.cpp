// Elementwise kernels on double buffers: unary, binary (broadcasting) and ternary passes, the
// double instances of elementwise_loops.hpp's plain loops (float64 is for precision; the xsimd
// path stays float's, which keeps this TU's build short).
#include "descent/core/kernels/elementwise_loops.hpp"

namespace descent::kernels {

void unary(Unary op, const double* x, int64_t n, double* y, double p0, double p1) {
    detail::unary_loop(op, x, n, y, p0, p1);
}

void binary(Binary op, const double* a, const Shape& as, const double* b, const Shape& bs,
            double* out, const Shape& os) {
    detail::binary_loop(op, a, as, b, bs, out, os);
}

void where(const double* c, const Shape& cs, const double* a, const Shape& as, const double* b,
           const Shape& bs, double* out, const Shape& os) {
    detail::where_loop(c, cs, a, as, b, bs, out, os);
}

void axpy(double alpha, const double* x, int64_t n, double* y) {
    detail::axpy_loop(alpha, x, n, y);
}

}  // namespace descent::kernels
