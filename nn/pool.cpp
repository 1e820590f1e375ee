// Pooling layers: argument checks at construction, forward through nn::functional's pooling.
#include "descent/nn/pool.hpp"

#include <ostream>

#include "descent/core/error.hpp"

namespace descent::nn {

namespace {

void print_window(std::ostream& os, const char* type, functional::Size2 k, functional::Size2 s,
                  functional::Size2 p) {
    os << type << "(kernel_size=(" << k.h << ", " << k.w << "), stride=(" << s.h << ", " << s.w
       << "), padding=(" << p.h << ", " << p.w << ")";
}

}  // namespace

MaxPool2d::MaxPool2d(functional::Size2 k, std::optional<functional::Size2> s, functional::Size2 p)
    : Module("MaxPool2d"), kernel_size(k), stride(s.value_or(k)), padding(p) {
    functional::detail::check_pool_window("MaxPool2d()", kernel_size, stride, padding);
}

Tensor MaxPool2d::forward(const Tensor& x) {
    return functional::detail::max_pool2d("MaxPool2d", x, kernel_size, stride, padding);
}

void MaxPool2d::pretty_print(std::ostream& os) const {
    print_window(os, "MaxPool2d", kernel_size, stride, padding);
    os << ")";
}

AvgPool2d::AvgPool2d(functional::Size2 k, std::optional<functional::Size2> s, functional::Size2 p,
                     bool count_include_pad_)
    : Module("AvgPool2d"),
      kernel_size(k),
      stride(s.value_or(k)),
      padding(p),
      count_include_pad(count_include_pad_) {
    functional::detail::check_pool_window("AvgPool2d()", kernel_size, stride, padding);
}

Tensor AvgPool2d::forward(const Tensor& x) {
    return functional::detail::avg_pool2d("AvgPool2d", x, kernel_size, stride, padding,
                                          count_include_pad);
}

void AvgPool2d::pretty_print(std::ostream& os) const {
    print_window(os, "AvgPool2d", kernel_size, stride, padding);
    os << ", count_include_pad=" << (count_include_pad ? "true" : "false") << ")";
}

AdaptiveAvgPool2d::AdaptiveAvgPool2d(functional::Size2 output_size_)
    : Module("AdaptiveAvgPool2d"), output_size(output_size_) {
    DESCENT_CHECK(output_size.h > 0 && output_size.w > 0, ValueError,
                  "AdaptiveAvgPool2d(): output_size must be > 0, got (", output_size.h, ", ",
                  output_size.w, ")");
}

Tensor AdaptiveAvgPool2d::forward(const Tensor& x) {
    return functional::detail::adaptive_avg_pool2d("AdaptiveAvgPool2d", x, output_size);
}

void AdaptiveAvgPool2d::pretty_print(std::ostream& os) const {
    os << "AdaptiveAvgPool2d(output_size=(" << output_size.h << ", " << output_size.w << "))";
}

AdaptiveMaxPool2d::AdaptiveMaxPool2d(functional::Size2 output_size_)
    : Module("AdaptiveMaxPool2d"), output_size(output_size_) {
    DESCENT_CHECK(output_size.h > 0 && output_size.w > 0, ValueError,
                  "AdaptiveMaxPool2d(): output_size must be > 0, got (", output_size.h, ", ",
                  output_size.w, ")");
}

Tensor AdaptiveMaxPool2d::forward(const Tensor& x) { return std::get<0>(forward_with_indices(x)); }

std::tuple<Tensor, Tensor> AdaptiveMaxPool2d::forward_with_indices(const Tensor& x) {
    return functional::detail::adaptive_max_pool2d("AdaptiveMaxPool2d", x, output_size);
}

void AdaptiveMaxPool2d::pretty_print(std::ostream& os) const {
    os << "AdaptiveMaxPool2d(output_size=(" << output_size.h << ", " << output_size.w << "))";
}

}  // namespace descent::nn
