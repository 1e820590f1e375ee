// Pooling layers over NCHW images: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, with
// PyTorch's arguments and defaults (stride = kernel_size); no parameters.
#pragma once

#include <optional>
#include <tuple>

#include "descent/nn/functional/pool.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

class MaxPool2d : public Module {
public:
    // ValueError for a kernel or stride <= 0, or padding outside [0, kernel/2].
    explicit MaxPool2d(functional::Size2 kernel_size, std::optional<functional::Size2> stride = {},
                       functional::Size2 padding = 0);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    functional::Size2 kernel_size, stride, padding;
};

class AvgPool2d : public Module {
public:
    explicit AvgPool2d(functional::Size2 kernel_size, std::optional<functional::Size2> stride = {},
                       functional::Size2 padding = 0, bool count_include_pad = true);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    functional::Size2 kernel_size, stride, padding;
    bool count_include_pad;
};

class AdaptiveAvgPool2d : public Module {
public:
    explicit AdaptiveAvgPool2d(functional::Size2 output_size);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    functional::Size2 output_size;
};

class AdaptiveMaxPool2d : public Module {
public:
    // ValueError unless both output sizes are > 0.
    explicit AdaptiveMaxPool2d(functional::Size2 output_size);
    Tensor forward(const Tensor& x) override;
    // The output and the int64 argmax (h·W + w in each plane), as PyTorch's return_indices.
    std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& x);
    void pretty_print(std::ostream& os) const override;
    functional::Size2 output_size;
};

}  // namespace descent::nn
