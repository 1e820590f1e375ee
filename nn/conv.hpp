// Conv2d: the 2-D convolution layer over NCHW images, with PyTorch's arguments, defaults and
// initialisation: weight by kaiming_uniform_(a = √5), i.e. U(-1/√fan_in, 1/√fan_in), bias
// U(-1/√fan_in, 1/√fan_in), fan_in = in_channels/groups · kh · kw.
#pragma once

#include <cstdint>

#include "descent/nn/functional/conv.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

class Conv2d : public Module {
public:
    // ValueError unless the channels are > 0 and divisible by groups, and kernel, stride and
    // dilation are > 0 (padding >= 0, or "same" with stride 1).
    Conv2d(int64_t in_channels, int64_t out_channels, functional::Size2 kernel_size,
           functional::Size2 stride = 1, functional::Padding padding = 0,
           functional::Size2 dilation = 1, int64_t groups = 1, bool bias = true);
    // x: (N, in_channels, H, W) -> (N, out_channels, oh, ow); errors name "Conv2d".
    Tensor forward(const Tensor& x) override;
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t in_channels, out_channels;
    functional::Size2 kernel_size, stride;
    functional::Padding padding;
    functional::Size2 dilation;
    int64_t groups;
    Tensor weight;  // (out_channels, in_channels/groups, kh, kw)
    Tensor bias;    // (out_channels), undefined when constructed with bias = false
};

}  // namespace descent::nn
