// Conv1d and the 1-D pooling layers: argument checks, registration, PyTorch's initialisation,
// forward through functional's 1-D forms (the 2-D kernels on a unit height).
#include "descent/nn/conv_pool1d.hpp"

#include <cmath>
#include <ostream>

#include "descent/core/factory.hpp"
#include "descent/nn/functional/pool.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

Conv1d::Conv1d(int64_t in_channels_, int64_t out_channels_, int64_t kernel_size_, int64_t stride_,
               functional::Padding padding_, int64_t dilation_, int64_t groups_, bool with_bias)
    : Module("Conv1d"),
      in_channels(in_channels_),
      out_channels(out_channels_),
      kernel_size(kernel_size_),
      stride(stride_),
      padding(padding_),
      dilation(dilation_),
      groups(groups_) {
    DESCENT_CHECK(in_channels > 0 && out_channels > 0, ValueError,
                  "Conv1d(): in_channels and out_channels must be > 0, got ", in_channels, " and ",
                  out_channels);
    DESCENT_CHECK(groups > 0 && in_channels % groups == 0 && out_channels % groups == 0, ValueError,
                  "Conv1d(): groups ", groups, " must divide in_channels ", in_channels,
                  " and out_channels ", out_channels);
    DESCENT_CHECK(kernel_size > 0, ValueError, "Conv1d(): kernel_size must be > 0, got ",
                  kernel_size);
    DESCENT_CHECK(stride > 0, ValueError, "Conv1d(): stride must be > 0, got ", stride);
    DESCENT_CHECK(dilation > 0, ValueError, "Conv1d(): dilation must be > 0, got ", dilation);
    DESCENT_CHECK(padding.same || (padding.size.w >= 0 && padding.size.h == padding.size.w),
                  ValueError, "Conv1d(): padding must be one int >= 0, got (", padding.size.h, ", ",
                  padding.size.w, ")");
    DESCENT_CHECK(!padding.same || stride == 1, ValueError,
                  "Conv1d(): padding=\"same\" needs stride 1, got ", stride);
    weight = register_parameter("weight", empty({out_channels, in_channels / groups, kernel_size}));
    if (with_bias) bias = register_parameter("bias", empty({out_channels}));
    reset_parameters();
}

void Conv1d::reset_parameters() {
    init::kaiming_uniform_(weight, std::sqrt(5.0));  // = U(-1/√fan_in, 1/√fan_in)
    if (bias.defined()) {
        const double fan_in = static_cast<double>(in_channels / groups * kernel_size);
        init::uniform_(bias, -1.0 / std::sqrt(fan_in), 1.0 / std::sqrt(fan_in));
    }
}

Tensor Conv1d::forward(const Tensor& x) {
    return functional::detail::conv1d("Conv1d", x, weight, bias, stride, padding, dilation, groups);
}

void Conv1d::pretty_print(std::ostream& os) const {
    os << "Conv1d(" << in_channels << ", " << out_channels << ", kernel_size=(" << kernel_size
       << ",), stride=(" << stride << ",)";
    if (padding.same)
        os << ", padding=same";
    else if (padding.size.w != 0)
        os << ", padding=(" << padding.size.w << ",)";
    if (dilation != 1) os << ", dilation=(" << dilation << ",)";
    if (groups != 1) os << ", groups=" << groups;
    if (!bias.defined()) os << ", bias=false";
    os << ")";
}

MaxPool1d::MaxPool1d(int64_t k, std::optional<int64_t> s, int64_t p)
    : Module("MaxPool1d"), kernel_size(k), stride(s.value_or(k)), padding(p) {
    functional::detail::check_pool_window("MaxPool1d()", {1, kernel_size}, {1, stride},
                                          {0, padding});
}
Tensor MaxPool1d::forward(const Tensor& x) {
    return functional::detail::max_pool1d("MaxPool1d", x, kernel_size, stride, padding);
}
void MaxPool1d::pretty_print(std::ostream& os) const {
    os << "MaxPool1d(kernel_size=" << kernel_size << ", stride=" << stride
       << ", padding=" << padding << ")";
}

AvgPool1d::AvgPool1d(int64_t k, std::optional<int64_t> s, int64_t p, bool count_include_pad_)
    : Module("AvgPool1d"),
      kernel_size(k),
      stride(s.value_or(k)),
      padding(p),
      count_include_pad(count_include_pad_) {
    functional::detail::check_pool_window("AvgPool1d()", {1, kernel_size}, {1, stride},
                                          {0, padding});
}
Tensor AvgPool1d::forward(const Tensor& x) {
    return functional::detail::avg_pool1d("AvgPool1d", x, kernel_size, stride, padding,
                                          count_include_pad);
}
void AvgPool1d::pretty_print(std::ostream& os) const {
    os << "AvgPool1d(kernel_size=" << kernel_size << ", stride=" << stride
       << ", padding=" << padding
       << ", count_include_pad=" << (count_include_pad ? "true" : "false") << ")";
}

AdaptiveAvgPool1d::AdaptiveAvgPool1d(int64_t output_size_)
    : Module("AdaptiveAvgPool1d"), output_size(output_size_) {
    DESCENT_CHECK(output_size > 0, ValueError, "AdaptiveAvgPool1d(): output_size must be > 0, got ",
                  output_size);
}
Tensor AdaptiveAvgPool1d::forward(const Tensor& x) {
    return functional::detail::adaptive_avg_pool1d("AdaptiveAvgPool1d", x, output_size);
}
void AdaptiveAvgPool1d::pretty_print(std::ostream& os) const {
    os << "AdaptiveAvgPool1d(output_size=" << output_size << ")";
}

}  // namespace descent::nn
