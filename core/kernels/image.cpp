// Crop-with-padding and horizontal flip of one (C, H, W) image.
#include "descent/core/kernels/image.hpp"

#include <algorithm>

namespace descent::kernels {

template <class T>
void crop_impl(const T* src, int64_t c, int64_t h, int64_t w, int64_t top, int64_t left,
               int64_t out_h, int64_t out_w, T* dst) {
    // the columns of each output row that fall inside src: [j0, j1)
    const int64_t j0 = std::clamp<int64_t>(-left, 0, out_w);
    const int64_t j1 = std::clamp<int64_t>(w - left, j0, out_w);
    // src: (c, h, w), dst: (c, out_h, out_w); each row is zeros, a copied run, zeros
    for (int64_t k = 0; k < c; ++k)
        for (int64_t i = 0; i < out_h; ++i) {
            T* row = dst + (k * out_h + i) * out_w;
            const int64_t si = top + i;
            if (si < 0 || si >= h || j0 == j1) {
                std::fill_n(row, out_w, T(0.0));
                continue;
            }
            std::fill_n(row, j0, T(0.0));
            std::copy_n(src + (k * h + si) * w + left + j0, j1 - j0, row + j0);
            std::fill_n(row + j1, out_w - j1, T(0.0));
        }
}

template <class T>
void flip_horizontal_impl(const T* src, int64_t c, int64_t h, int64_t w, T* dst) {
    // src, dst: (c·h rows, w)
    for (int64_t r = 0; r < c * h; ++r)
        std::reverse_copy(src + r * w, src + (r + 1) * w, dst + r * w);
}

void crop(const float* src, int64_t c, int64_t h, int64_t w, int64_t top, int64_t left,
          int64_t out_h, int64_t out_w, float* dst) {
    crop_impl(src, c, h, w, top, left, out_h, out_w, dst);
}
void crop(const double* src, int64_t c, int64_t h, int64_t w, int64_t top, int64_t left,
          int64_t out_h, int64_t out_w, double* dst) {
    crop_impl(src, c, h, w, top, left, out_h, out_w, dst);
}
void flip_horizontal(const float* src, int64_t c, int64_t h, int64_t w, float* dst) {
    flip_horizontal_impl(src, c, h, w, dst);
}
void flip_horizontal(const double* src, int64_t c, int64_t h, int64_t w, double* dst) {
    flip_horizontal_impl(src, c, h, w, dst);
}

}  // namespace descent::kernels
