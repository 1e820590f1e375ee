// ConvTranspose2d: argument checks, registration, PyTorch's default initialisation, forward
// through functional::conv_transpose2d (and output_size turned into an output_padding).
#include "descent/nn/conv_transpose.hpp"

#include <cmath>
#include <ostream>

#include "descent/core/factory.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

ConvTranspose2d::ConvTranspose2d(int64_t in_channels_, int64_t out_channels_,
                                 functional::Size2 kernel_size_, functional::Size2 stride_,
                                 functional::Size2 padding_, functional::Size2 output_padding_,
                                 int64_t groups_, bool with_bias, functional::Size2 dilation_)
    : Module("ConvTranspose2d"),
      in_channels(in_channels_),
      out_channels(out_channels_),
      kernel_size(kernel_size_),
      stride(stride_),
      padding(padding_),
      output_padding(output_padding_),
      groups(groups_),
      dilation(dilation_) {
    const char* who = "ConvTranspose2d()";
    DESCENT_CHECK(in_channels > 0 && out_channels > 0, ValueError, who,
                  ": in_channels and out_channels must be > 0, got ", in_channels, " and ",
                  out_channels);
    DESCENT_CHECK(groups > 0 && in_channels % groups == 0 && out_channels % groups == 0, ValueError,
                  who, ": groups ", groups, " must divide in_channels ", in_channels,
                  " and out_channels ", out_channels);
    DESCENT_CHECK(kernel_size.h > 0 && kernel_size.w > 0, ValueError, who,
                  ": kernel_size must be > 0, got (", kernel_size.h, ", ", kernel_size.w, ")");
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
    weight = register_parameter(
        "weight", empty({in_channels, out_channels / groups, kernel_size.h, kernel_size.w}));
    if (with_bias) bias = register_parameter("bias", empty({out_channels}));
    reset_parameters();
}

void ConvTranspose2d::reset_parameters() {
    init::kaiming_uniform_(weight, std::sqrt(5.0));  // = U(-1/√fan_in, 1/√fan_in), fan_in of dim 1
    if (bias.defined()) {
        const double fan_in =
            static_cast<double>(out_channels / groups * kernel_size.h * kernel_size.w);
        init::uniform_(bias, -1.0 / std::sqrt(fan_in), 1.0 / std::sqrt(fan_in));
    }
}

Tensor ConvTranspose2d::forward(const Tensor& x) {
    return functional::detail::conv_transpose2d("ConvTranspose2d", x, weight, bias, stride, padding,
                                                output_padding, groups, dilation);
}

Tensor ConvTranspose2d::forward(const Tensor& x, const std::vector<int64_t>& output_size) {
    DESCENT_CHECK(x.defined(), ValueError, "ConvTranspose2d: input is an undefined tensor");
    const functional::Size2 op = functional::detail::output_padding_for(
        "ConvTranspose2d", x.shape(), output_size, kernel_size, stride, padding, dilation);
    return functional::detail::conv_transpose2d("ConvTranspose2d", x, weight, bias, stride, padding,
                                                op, groups, dilation);
}

void ConvTranspose2d::pretty_print(std::ostream& os) const {
    os << "ConvTranspose2d(" << in_channels << ", " << out_channels << ", kernel_size=("
       << kernel_size.h << ", " << kernel_size.w << "), stride=(" << stride.h << ", " << stride.w
       << ")";
    if (padding.h != 0 || padding.w != 0)
        os << ", padding=(" << padding.h << ", " << padding.w << ")";
    if (output_padding.h != 0 || output_padding.w != 0)
        os << ", output_padding=(" << output_padding.h << ", " << output_padding.w << ")";
    if (dilation.h != 1 || dilation.w != 1)
        os << ", dilation=(" << dilation.h << ", " << dilation.w << ")";
    if (groups != 1) os << ", groups=" << groups;
    if (!bias.defined()) os << ", bias=false";
    os << ")";
}

}  // namespace descent::nn
