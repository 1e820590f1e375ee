// Elementwise kernels on double buffers: unary, binary (broadcasting) and ternary passes, the
// double instances of elementwise_impl.hpp's templates (a TU of its own: a 2-core build overlaps
// them).
#include "descent/core/kernels/elementwise_impl.hpp"

namespace descent::kernels {

void unary(Unary op, const double* x, int64_t n, double* y, double p0, double p1) {
    detail::unary_impl(op, x, n, y, p0, p1);
}

void binary(Binary op, const double* a, const Shape& as, const double* b, const Shape& bs,
            double* out, const Shape& os) {
    detail::binary_impl(op, a, as, b, bs, out, os);
}

void where(const double* c, const Shape& cs, const double* a, const Shape& as, const double* b,
           const Shape& bs, double* out, const Shape& os) {
    detail::where_impl(c, cs, a, as, b, bs, out, os);
}

void axpy(double alpha, const double* x, int64_t n, double* y) {
    detail::axpy_impl(alpha, x, n, y);
}

}  // namespace descent::kernels
