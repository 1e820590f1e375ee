// Crop-with-padding and horizontal flip of one (C, H, W) image.
#include "descent/core/kernels/image.hpp"

#include <algorithm>

namespace descent::kernels {

void crop(const float* src, int64_t c, int64_t h, int64_t w, int64_t top, int64_t left,
          int64_t out_h, int64_t out_w, float* dst) {
    // the columns of each output row that fall inside src: [j0, j1)
    const int64_t j0 = std::clamp<int64_t>(-left, 0, out_w);
    const int64_t j1 = std::clamp<int64_t>(w - left, j0, out_w);
    // src: (c, h, w), dst: (c, out_h, out_w); each row is zeros, a copied run, zeros
    for (int64_t k = 0; k < c; ++k)
        for (int64_t i = 0; i < out_h; ++i) {
            float* row = dst + (k * out_h + i) * out_w;
            const int64_t si = top + i;
            if (si < 0 || si >= h || j0 == j1) {
                std::fill_n(row, out_w, 0.0f);
                continue;
            }
            std::fill_n(row, j0, 0.0f);
            std::copy_n(src + (k * h + si) * w + left + j0, j1 - j0, row + j0);
            std::fill_n(row + j1, out_w - j1, 0.0f);
        }
}

void flip_horizontal(const float* src, int64_t c, int64_t h, int64_t w, float* dst) {
    // src, dst: (c·h rows, w)
    for (int64_t r = 0; r < c * h; ++r)
        std::reverse_copy(src + r * w, src + (r + 1) * w, dst + r * w);
}

}  // namespace descent::kernels
