// im2col / col2im: the loops that turn a convolution into one matrix product per image. Each
// column of `cols` is the receptive field of one output pixel, so conv(x, w) = W · cols and the
// input gradient is col2im(Wᵀ · g). For float and double buffers.
#pragma once

#include <cstdint>

namespace descent::kernels {

// One image's convolution geometry. Padding is given for the top / left side only; the output size
// (oh, ow) fixes how much of the bottom / right is padded, so asymmetric "same" padding fits too.
struct ConvGeometry {
    int64_t C = 0, H = 0, W = 0;  // input channels and size
    int64_t kh = 1, kw = 1;       // kernel
    int64_t sh = 1, sw = 1;       // stride
    int64_t ph = 0, pw = 0;       // padding before the first row / column
    int64_t dh = 1, dw = 1;       // dilation
    int64_t oh = 0, ow = 0;       // output size
    int64_t col_rows() const { return C * kh * kw; }
    int64_t col_cols() const { return oh * ow; }
    // A 1x1 kernel with stride 1 and no padding: the image itself is its column matrix.
    bool is_pointwise() const {
        return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && oh == H && ow == W;
    }
};

// x [C, H, W] -> cols [C*kh*kw, oh*ow]; padded positions become 0.
void im2col(const float* x, const ConvGeometry& g, float* cols);
void im2col(const double* x, const ConvGeometry& g, double* cols);

// cols [C*kh*kw, oh*ow] -> x [C, H, W], adding each column entry into the pixel it was read from
// (the adjoint of im2col); x must be zeroed (or hold what to add to) by the caller.
void col2im(const float* cols, const ConvGeometry& g, float* x);
void col2im(const double* cols, const ConvGeometry& g, double* x);

}  // namespace descent::kernels
