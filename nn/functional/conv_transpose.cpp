// conv_transpose2d: the checks, and the forward as conv2d_input (core/kernels/conv.hpp's input
// gradient: Wᵀ·x per image and group, then col2im), plus the bias. No node of its own: the graph
// is conv2d_input's, whose backward (conv2d for the input, conv2d_weight for the weight) is
// differentiable again.
#include "descent/nn/functional/conv_transpose.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/core/error.hpp"
#include "descent/nn/functional/conv.hpp"
#include "descent/nn/functional/pad.hpp"

namespace descent::nn::functional {

namespace detail {

Tensor conv_transpose2d(const char* who, const Tensor& input, const Tensor& weight,
                        const Tensor& bias, Size2 stride, Size2 padding, Size2 output_padding,
                        int64_t groups, Size2 dilation) {
    DESCENT_CHECK(input.defined() && weight.defined(), ValueError, who,
                  ": input and weight must be defined tensors");
    DESCENT_CHECK(weight.dim() == 4, ShapeError, who,
                  ": expected weight (in_channels, out_channels/groups, kh, kw), got ",
                  weight.shape());
    DESCENT_CHECK(groups > 0, ValueError, who, ": groups must be > 0, got ", groups);
    DESCENT_CHECK(stride.h > 0 && stride.w > 0, ValueError, who, ": stride must be > 0, got (",
                  stride.h, ", ", stride.w, ")");
    DESCENT_CHECK(dilation.h > 0 && dilation.w > 0, ValueError, who,
                  ": dilation must be > 0, got (", dilation.h, ", ", dilation.w, ")");
    DESCENT_CHECK(padding.h >= 0 && padding.w >= 0, ValueError, who,
                  ": padding must be >= 0, got (", padding.h, ", ", padding.w, ")");
    DESCENT_CHECK(output_padding.h >= 0 && output_padding.w >= 0 &&
                      (output_padding.h < stride.h || output_padding.h < dilation.h) &&
                      (output_padding.w < stride.w || output_padding.w < dilation.w),
                  ValueError, who, ": output_padding (", output_padding.h, ", ", output_padding.w,
                  ") must be >= 0 and smaller than either stride (", stride.h, ", ", stride.w,
                  ") or dilation (", dilation.h, ", ", dilation.w, ")");
    DESCENT_CHECK(input.is_floating_point() && weight.dtype() == input.dtype() &&
                      (!bias.defined() || bias.dtype() == input.dtype()),
                  TypeError, who, ": expected tensors of one floating dtype, got ", input.dtype(),
                  " and ", weight.dtype(), bias.defined() ? " and " : "",
                  bias.defined() ? dtype_name(bias.dtype()) : "");
    const Shape& w = weight.shape();
    const Shape& x = input.shape();
    DESCENT_CHECK(w[0] % groups == 0, ShapeError, who, ": in_channels ", w[0], " of weight ", w,
                  " is not divisible by groups ", groups);
    DESCENT_CHECK(x.ndim() == 4 && x[1] == w[0], ShapeError, who, ": expected input (N, ", w[0],
                  ", H, W), got ", x, " (weight ", w, ")");
    const int64_t O = w[1] * groups;
    DESCENT_CHECK(!bias.defined() || bias.shape() == Shape{O}, ShapeError, who, ": expected bias (",
                  O, "), got ", bias.defined() ? bias.shape() : Shape{});
    // The output without padding's crop: every position some input pixel reaches.
    const int64_t full_h = (x[2] - 1) * stride.h + dilation.h * (w[2] - 1) + 1;
    const int64_t full_w = (x[3] - 1) * stride.w + dilation.w * (w[3] - 1) + 1;
    const int64_t oh = full_h - 2 * padding.h + output_padding.h;
    const int64_t ow = full_w - 2 * padding.w + output_padding.w;
    DESCENT_CHECK(oh > 0 && ow > 0, ShapeError, who, ": the output (", oh, ", ", ow,
                  ") would be empty for input ", x, ", weight ", w, " and padding (", padding.h,
                  ", ", padding.w, ")");
    Tensor y;
    if (output_padding.h < stride.h && output_padding.w < stride.w) {
        // conv2d of a (N, O, oh, ow) image gives back (N, C, H, W): the usual case, one kernel.
        y = conv2d_input(Shape{x[0], O, oh, ow}, weight, input, stride,
                         Padding(padding.h, padding.w), dilation, groups);
    } else {
        // output_padding >= stride (allowed below the dilation): conv2d of the output would not
        // give back H, so compute the uncropped output and crop / zero-extend it (pad < 0 crops).
        const Tensor full = conv2d_input(Shape{x[0], O, full_h, full_w}, weight, input, stride, 0,
                                         dilation, groups);
        y = pad(full, {-padding.w, output_padding.w - padding.w, -padding.h,
                       output_padding.h - padding.h});
    }
    if (bias.defined()) y = y + bias.reshape({1, O, 1, 1});
    return y;
}

Size2 output_padding_for(const char* who, const Shape& x, const std::vector<int64_t>& size, Size2 k,
                         Size2 stride, Size2 padding, Size2 dilation) {
    DESCENT_CHECK(x.ndim() == 4, ShapeError, who, ": expected input (N, C, H, W), got ", x);
    DESCENT_CHECK(size.size() >= 2 && size.size() <= 4, ValueError, who,
                  ": output_size must have 2 to 4 entries (the last two are the height and width)"
                  ", got ",
                  size.size());
    const int64_t want[2] = {size[size.size() - 2], size[size.size() - 1]};
    const int64_t in[2] = {x[2], x[3]}, kk[2] = {k.h, k.w}, s[2] = {stride.h, stride.w};
    const int64_t p[2] = {padding.h, padding.w}, d[2] = {dilation.h, dilation.w};
    int64_t out[2];
    for (int i = 0; i < 2; ++i) {
        const int64_t lo = (in[i] - 1) * s[i] - 2 * p[i] + d[i] * (kk[i] - 1) + 1;
        const int64_t hi = lo + s[i] - 1;
        DESCENT_CHECK(want[i] >= lo && want[i] <= hi, ValueError, who,
                      ": requested an output size of (", want[0], ", ", want[1],
                      "), but valid sizes of dim ", i + 2, " range from ", lo, " to ", hi,
                      " (for an input of ", x, ")");
        out[i] = want[i] - lo;
    }
    return Size2(out[0], out[1]);
}

}  // namespace detail

Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias, Size2 stride,
                        Size2 padding, Size2 output_padding, int64_t groups, Size2 dilation,
                        CallSite) {
    return detail::conv_transpose2d("conv_transpose2d()", input, weight, bias, stride, padding,
                                    output_padding, groups, dilation);
}

}  // namespace descent::nn::functional
