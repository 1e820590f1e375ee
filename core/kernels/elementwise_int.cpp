// Elementwise kernels on int64_t buffers: the integer instances of elementwise_loops.hpp's unary
// (Neg, Abs, Sign) and binary loops.
#include "descent/core/kernels/elementwise_loops.hpp"

namespace descent::kernels {

void unary(Unary op, const int64_t* x, int64_t n, int64_t* y) {
    detail::unary_loop<int64_t>(op, x, n, y, 0, 0);
}

void binary(Binary op, const int64_t* a, const Shape& as, const int64_t* b, const Shape& bs,
            int64_t* out, const Shape& os) {
    detail::binary_loop(op, a, as, b, bs, out, os);
}

}  // namespace descent::kernels
