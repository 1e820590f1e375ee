// Elementwise kernels on float buffers: unary, binary (broadcasting) and ternary passes, the
// float instances of elementwise_impl.hpp's templates.
#include "descent/core/kernels/elementwise_impl.hpp"

namespace descent::kernels {

void unary(Unary op, const float* x, int64_t n, float* y, float p0, float p1) {
    detail::unary_impl(op, x, n, y, p0, p1);
}

void binary(Binary op, const float* a, const Shape& as, const float* b, const Shape& bs, float* out,
            const Shape& os) {
    detail::binary_impl(op, a, as, b, bs, out, os);
}

void where(const float* c, const Shape& cs, const float* a, const Shape& as, const float* b,
           const Shape& bs, float* out, const Shape& os) {
    detail::where_impl(c, cs, a, as, b, bs, out, os);
}

void axpy(float alpha, const float* x, int64_t n, float* y) { detail::axpy_impl(alpha, x, n, y); }

}  // namespace descent::kernels
