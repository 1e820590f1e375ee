// Data-movement kernels: permute, and copying a range of one dim out of / into a tensor.
#include "descent/core/kernels/copy.hpp"

#include <algorithm>
#include <cstring>

namespace descent::kernels {

// x: shape; y: shape permuted
void permute(const float* x, const Shape& shape, const std::vector<int64_t>& perm, float* y) {
    const int64_t nd = shape.ndim();
    const std::vector<int64_t> in_strides = contiguous_strides(shape);
    if (nd == 2 && perm[0] == 1) {
        // Matrix transpose in 32×32 tiles, so both sides stay in cache.
        const int64_t R = shape[0], C = shape[1];
        for (int64_t r0 = 0; r0 < R; r0 += 32)
            for (int64_t c0 = 0; c0 < C; c0 += 32)
                for (int64_t r = r0; r < std::min(R, r0 + 32); ++r)
                    for (int64_t c = c0; c < std::min(C, c0 + 32); ++c) y[c * R + r] = x[r * C + c];
        return;
    }
    // Walk out in row-major order; `src` follows in the input through the permuted strides.
    std::vector<int64_t> index(nd, 0), stride(nd);
    Shape os(nd);
    for (int64_t i = 0; i < nd; ++i) {
        stride[i] = in_strides[perm[i]];
        os[i] = shape[perm[i]];
    }
    const int64_t total = numel(shape);
    int64_t src = 0;
    for (int64_t i = 0; i < total; ++i) {
        y[i] = x[src];
        for (int64_t d = nd - 1; d >= 0; --d) {
            if (++index[d] < os[d]) {
                src += stride[d];
                break;
            }
            index[d] = 0;
            src -= stride[d] * (os[d] - 1);
        }
    }
}

void slice_copy(const float* in, Axis a, int64_t start, int64_t len, float* out) {
    const int64_t block = len * a.inner;  // contiguous floats per outer index
    if (block == 0) return;  // memcpy may not be given a null pointer, even for 0 bytes
    for (int64_t o = 0; o < a.outer; ++o)
        std::memcpy(out + o * block, in + (o * a.n + start) * a.inner, sizeof(float) * block);
}

void slice_assign(const float* src, int64_t len, Axis a, int64_t start, float* out) {
    const int64_t block = len * a.inner;
    if (block == 0) return;
    for (int64_t o = 0; o < a.outer; ++o)
        std::memcpy(out + (o * a.n + start) * a.inner, src + o * block, sizeof(float) * block);
}

}  // namespace descent::kernels
