// InstanceNorm2d: normalise every (sample, channel) image over its positions, as
// torch.nn.InstanceNorm2d with its defaults (affine = false, track_running_stats = false).
#pragma once

#include <cstdint>

#include "descent/nn/module.hpp"

namespace descent::nn {

class InstanceNorm2d : public Module {
public:
    // ValueError for num_features <= 0, eps < 0, or track_running_stats = true (running statistics
    // are not implemented: refused rather than ignored).
    explicit InstanceNorm2d(int64_t num_features, double eps = 1e-5, double momentum = 0.1,
                            bool affine = false, bool track_running_stats = false);
    // x: (N, C, H, W) or unbatched (C, H, W) -> the same shape, batch statistics in train and eval.
    Tensor forward(const Tensor& x) override;
    void reset_parameters();  // weight to ones, bias to zeros
    void pretty_print(std::ostream& os) const override;

    int64_t num_features;
    double eps, momentum;
    bool affine, track_running_stats;
    Tensor weight;  // (num_features), undefined without affine
    Tensor bias;    // (num_features), undefined without affine
};

}  // namespace descent::nn
