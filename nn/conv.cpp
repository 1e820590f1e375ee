// Conv2d: argument checks, registration, PyTorch's default initialisation, forward through
// functional::conv2d.
#include "descent/nn/conv.hpp"

#include <cmath>
#include <ostream>

#include "descent/core/factory.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

Conv2d::Conv2d(int64_t in_channels_, int64_t out_channels_, functional::Size2 kernel_size_,
               functional::Size2 stride_, functional::Padding padding_, functional::Size2 dilation_,
               int64_t groups_, bool with_bias)
    : Module("Conv2d"),
      in_channels(in_channels_),
      out_channels(out_channels_),
      kernel_size(kernel_size_),
      stride(stride_),
      padding(padding_),
      dilation(dilation_),
      groups(groups_) {
    DESCENT_CHECK(in_channels > 0 && out_channels > 0, ValueError,
                  "Conv2d(): in_channels and out_channels must be > 0, got ", in_channels, " and ",
                  out_channels);
    DESCENT_CHECK(groups > 0 && in_channels % groups == 0 && out_channels % groups == 0, ValueError,
                  "Conv2d(): groups ", groups, " must divide in_channels ", in_channels,
                  " and out_channels ", out_channels);
    DESCENT_CHECK(kernel_size.h > 0 && kernel_size.w > 0, ValueError,
                  "Conv2d(): kernel_size must be > 0, got (", kernel_size.h, ", ", kernel_size.w,
                  ")");
    DESCENT_CHECK(stride.h > 0 && stride.w > 0, ValueError, "Conv2d(): stride must be > 0, got (",
                  stride.h, ", ", stride.w, ")");
    DESCENT_CHECK(dilation.h > 0 && dilation.w > 0, ValueError,
                  "Conv2d(): dilation must be > 0, got (", dilation.h, ", ", dilation.w, ")");
    DESCENT_CHECK(padding.size.h >= 0 && padding.size.w >= 0, ValueError,
                  "Conv2d(): padding must be >= 0, got (", padding.size.h, ", ", padding.size.w,
                  ")");
    DESCENT_CHECK(!padding.same || (stride.h == 1 && stride.w == 1), ValueError,
                  "Conv2d(): padding=\"same\" needs stride 1, got (", stride.h, ", ", stride.w,
                  ")");
    weight = register_parameter(
        "weight", empty({out_channels, in_channels / groups, kernel_size.h, kernel_size.w}));
    if (with_bias) bias = register_parameter("bias", empty({out_channels}));
    reset_parameters();
}

void Conv2d::reset_parameters() {
    init::kaiming_uniform_(weight, std::sqrt(5.0));  // = U(-1/√fan_in, 1/√fan_in)
    if (bias.defined()) {
        const double fan_in =
            static_cast<double>(in_channels / groups * kernel_size.h * kernel_size.w);
        init::uniform_(bias, -1.0 / std::sqrt(fan_in), 1.0 / std::sqrt(fan_in));
    }
}

Tensor Conv2d::forward(const Tensor& x) {
    return functional::detail::conv2d("Conv2d", x, weight, bias, stride, padding, dilation, groups);
}

void Conv2d::pretty_print(std::ostream& os) const {
    os << "Conv2d(" << in_channels << ", " << out_channels << ", kernel_size=(" << kernel_size.h
       << ", " << kernel_size.w << "), stride=(" << stride.h << ", " << stride.w << ")";
    if (padding.same)
        os << ", padding=same";
    else if (padding.size.h != 0 || padding.size.w != 0)
        os << ", padding=(" << padding.size.h << ", " << padding.size.w << ")";
    if (dilation.h != 1 || dilation.w != 1)
        os << ", dilation=(" << dilation.h << ", " << dilation.w << ")";
    if (groups != 1) os << ", groups=" << groups;
    if (!bias.defined()) os << ", bias=false";
    os << ")";
}

}  // namespace descent::nn
