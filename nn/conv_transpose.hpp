// ConvTranspose2d: the transposed 2-D convolution layer (functional::conv_transpose2d) with
// PyTorch's arguments, defaults and initialisation: weight (in, out/groups, kh, kw) by
// kaiming_uniform_(a = √5) and bias U(-1/√fan_in, 1/√fan_in), fan_in = out/groups · kh · kw (the
// weight's dim 1, as PyTorch computes it).
#pragma once

#include <cstdint>
#include <vector>

#include "descent/nn/functional/conv_transpose.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

class ConvTranspose2d : public Module {
public:
    // ValueError unless the channels are > 0 and divisible by groups, kernel, stride and dilation
    // are > 0, padding >= 0 and output_padding is smaller than the stride or the dilation.
    ConvTranspose2d(int64_t in_channels, int64_t out_channels, functional::Size2 kernel_size,
                    functional::Size2 stride = 1, functional::Size2 padding = 0,
                    functional::Size2 output_padding = 0, int64_t groups = 1, bool bias = true,
                    functional::Size2 dilation = 1);
    // x: (N, in_channels, H, W) -> (N, out_channels, oh, ow); errors name "ConvTranspose2d".
    Tensor forward(const Tensor& x) override;
    // The same with the output's size chosen (a stride > 1 makes several reachable): output_size
    // is (oh, ow) or ends with them; it replaces output_padding. ValueError out of reach.
    Tensor forward(const Tensor& x, const std::vector<int64_t>& output_size);
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t in_channels, out_channels;
    functional::Size2 kernel_size, stride, padding, output_padding;
    int64_t groups;
    functional::Size2 dilation;
    Tensor weight;  // (in_channels, out_channels/groups, kh, kw)
    Tensor bias;    // (out_channels), undefined when constructed with bias = false
};

}  // namespace descent::nn
