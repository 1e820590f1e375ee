// GroupNorm: normalise each sample over groups of channels, then scale and shift per channel, as
// torch.nn.GroupNorm (weight ones, bias zeros, affine by default; no running statistics).
#pragma once

#include <cstdint>

#include "descent/nn/module.hpp"

namespace descent::nn {

class GroupNorm : public Module {
public:
    // ValueError unless num_groups > 0 divides num_channels > 0 and eps >= 0.
    GroupNorm(int64_t num_groups, int64_t num_channels, double eps = 1e-5, bool affine = true);
    // x: (N, num_channels, *) -> the same shape, through functional::group_norm.
    Tensor forward(const Tensor& x) override;
    void reset_parameters();  // weight to ones, bias to zeros
    void pretty_print(std::ostream& os) const override;

    int64_t num_groups, num_channels;
    double eps;
    bool affine;
    Tensor weight;  // (num_channels), undefined without affine
    Tensor bias;    // (num_channels), undefined without affine
};

}  // namespace descent::nn
