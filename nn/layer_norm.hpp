// LayerNorm: normalise each sample over its last dims, then scale and shift by a learned weight and
// bias of normalized_shape, as torch.nn.LayerNorm (weight ones, bias zeros).
#pragma once

#include <cstdint>
#include <vector>

#include "descent/nn/module.hpp"

namespace descent::nn {

class LayerNorm : public Module {
public:
    // ValueError for an empty normalized_shape, a size <= 0 or eps < 0.
    explicit LayerNorm(std::vector<int64_t> normalized_shape, double eps = 1e-5,
                       bool elementwise_affine = true);
    // x: (*, normalized_shape) -> the same shape, through functional::layer_norm.
    Tensor forward(const Tensor& x) override;
    // weight to ones, bias to zeros.
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    std::vector<int64_t> normalized_shape;
    double eps;
    bool elementwise_affine;
    Tensor weight;  // normalized_shape, undefined without elementwise_affine
    Tensor bias;    // normalized_shape, undefined without elementwise_affine
};

}  // namespace descent::nn
