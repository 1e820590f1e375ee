// The 1-D layers over (N, C, L) sequences: Conv1d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, with
// PyTorch's arguments, defaults, initialisation (Conv1d: weight and bias U(-1/√fan_in,
// 1/√fan_in), fan_in = in_channels/groups · kernel_size) and state-dict keys.
#pragma once

#include <cstdint>
#include <optional>

#include "descent/nn/functional/conv_pool1d.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

class Conv1d : public Module {
public:
    // ValueError unless the channels are > 0 and divisible by groups, and kernel, stride and
    // dilation are > 0 (padding >= 0, or "same" with stride 1).
    Conv1d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, int64_t stride = 1,
           functional::Padding padding = 0, int64_t dilation = 1, int64_t groups = 1,
           bool bias = true);
    Tensor forward(const Tensor& x) override;  // (N, in, L) -> (N, out, lo); errors name Conv1d
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t in_channels, out_channels, kernel_size, stride;
    functional::Padding padding;
    int64_t dilation, groups;
    Tensor weight;  // (out_channels, in_channels/groups, kernel_size)
    Tensor bias;    // (out_channels), undefined when constructed with bias = false
};

// ValueError for a kernel or stride <= 0, or padding outside [0, kernel/2].
class MaxPool1d : public Module {
public:
    explicit MaxPool1d(int64_t kernel_size, std::optional<int64_t> stride = {},
                       int64_t padding = 0);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t kernel_size, stride, padding;
};

class AvgPool1d : public Module {
public:
    explicit AvgPool1d(int64_t kernel_size, std::optional<int64_t> stride = {}, int64_t padding = 0,
                       bool count_include_pad = true);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t kernel_size, stride, padding;
    bool count_include_pad;
};

class AdaptiveAvgPool1d : public Module {
public:
    explicit AdaptiveAvgPool1d(int64_t output_size);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t output_size;
};

}  // namespace descent::nn
