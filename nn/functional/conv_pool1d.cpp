// conv1d and the 1-D poolings: the sequence becomes a unit-height image (a view), the 2-D op runs,
// and the unit height is dropped again (a view). No node of their own.
#include "descent/nn/functional/conv_pool1d.hpp"

#include "descent/autograd/ops/shape.hpp"
#include "descent/core/error.hpp"
#include "descent/nn/functional/pool.hpp"

namespace descent::nn::functional {

namespace {

// (N, C, L) -> (N, C, 1, L); an unbatched (C, L) -> (1, C, 1, L). ShapeError for another rank.
Tensor as_image(const Tensor& x, const char* who) {
    DESCENT_CHECK(x.defined(), ValueError, who, ": input is an undefined tensor");
    DESCENT_CHECK(x.dim() == 3 || x.dim() == 2, ShapeError, who,
                  ": input must be (N, C, L) or (C, L), got ", x.shape());
    return unsqueeze(x.dim() == 2 ? unsqueeze(x, 0) : x, 2);
}

// The 2-D result (N, C, 1, lo) back to the input's rank.
Tensor as_sequence(const Tensor& y, const Tensor& x) {
    const Tensor s = squeeze(y, 2);
    return x.dim() == 2 ? squeeze(s, 0) : s;
}

}  // namespace

Tensor detail::conv1d(const char* who, const Tensor& input, const Tensor& weight,
                      const Tensor& bias, int64_t stride, const Padding& padding, int64_t dilation,
                      int64_t groups) {
    const Tensor image = as_image(input, who);
    DESCENT_CHECK(weight.defined() && weight.dim() == 3, ShapeError, who,
                  ": weight must be (out_channels, in_channels/groups, kernel), got ",
                  weight.defined() ? weight.shape() : Shape{});
    DESCENT_CHECK(padding.same || padding.size.h == padding.size.w, ValueError, who,
                  ": padding must be one int, got (", padding.size.h, ", ", padding.size.w, ")");
    const Padding pad2 = padding.same ? Padding("same") : Padding(0, padding.size.w);
    const Tensor y = functional::detail::conv2d(who, image, unsqueeze(weight, 2), bias,
                                                Size2(1, stride), pad2, Size2(1, dilation), groups);
    return as_sequence(y, input);
}

Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t stride,
              Padding padding, int64_t dilation, int64_t groups, CallSite) {
    return detail::conv1d("conv1d()", input, weight, bias, stride, padding, dilation, groups);
}

Tensor detail::max_pool1d(const char* who, const Tensor& input, int64_t kernel_size, int64_t stride,
                          int64_t padding) {
    const Tensor image = as_image(input, who);
    return as_sequence(functional::detail::max_pool2d(who, image, Size2(1, kernel_size),
                                                      Size2(1, stride), Size2(0, padding)),
                       input);
}

Tensor max_pool1d(const Tensor& input, int64_t kernel_size, std::optional<int64_t> stride,
                  int64_t padding, CallSite) {
    functional::detail::check_pool_window("max_pool1d()", Size2(1, kernel_size),
                                          Size2(1, stride.value_or(kernel_size)),
                                          Size2(0, padding));
    return detail::max_pool1d("max_pool1d()", input, kernel_size, stride.value_or(kernel_size),
                              padding);
}

Tensor detail::avg_pool1d(const char* who, const Tensor& input, int64_t kernel_size, int64_t stride,
                          int64_t padding, bool count_include_pad) {
    const Tensor image = as_image(input, who);
    return as_sequence(
        functional::detail::avg_pool2d(who, image, Size2(1, kernel_size), Size2(1, stride),
                                       Size2(0, padding), count_include_pad),
        input);
}

Tensor avg_pool1d(const Tensor& input, int64_t kernel_size, std::optional<int64_t> stride,
                  int64_t padding, bool count_include_pad, CallSite) {
    functional::detail::check_pool_window("avg_pool1d()", Size2(1, kernel_size),
                                          Size2(1, stride.value_or(kernel_size)),
                                          Size2(0, padding));
    return detail::avg_pool1d("avg_pool1d()", input, kernel_size, stride.value_or(kernel_size),
                              padding, count_include_pad);
}

Tensor detail::adaptive_avg_pool1d(const char* who, const Tensor& input, int64_t output_size) {
    const Tensor image = as_image(input, who);
    return as_sequence(functional::detail::adaptive_avg_pool2d(who, image, Size2(1, output_size)),
                       input);
}

Tensor adaptive_avg_pool1d(const Tensor& input, int64_t output_size, CallSite) {
    return detail::adaptive_avg_pool1d("adaptive_avg_pool1d()", input, output_size);
}

}  // namespace descent::nn::functional
