// Image kernels over one sample (C, H, W): a crop window that may reach past the border (zeros
// there: a crop of the zero-padded image without building it) and a horizontal flip. For float and
// double buffers.
#pragma once

#include <cstdint>

namespace descent::kernels {

// src: (c, h, w) -> dst: (c, out_h, out_w), dst[k, i, j] = src[k, top + i, left + j], 0 outside
// src. top and left may be negative.
void crop(const float* src, int64_t c, int64_t h, int64_t w, int64_t top, int64_t left,
          int64_t out_h, int64_t out_w, float* dst);
void crop(const double* src, int64_t c, int64_t h, int64_t w, int64_t top, int64_t left,
          int64_t out_h, int64_t out_w, double* dst);

// src, dst: (c, h, w), dst[k, i, j] = src[k, i, w - 1 - j]. dst must not be src.
void flip_horizontal(const float* src, int64_t c, int64_t h, int64_t w, float* dst);
void flip_horizontal(const double* src, int64_t c, int64_t h, int64_t w, double* dst);

}  // namespace descent::kernels
