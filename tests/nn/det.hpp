// det(): the deterministic values tests/nn/seq_torch_reference.py gives torch's modules, so the
// sequence tests can compare with the numbers it printed.
#pragma once

#include <vector>

#include "descent/descent.hpp"

namespace test {

// Element i of a tensor of `shape`: ((7·i + 3·k) mod 17 - 8) / 20, in [-0.4, 0.4] (float32).
inline descent::Tensor det(const descent::Shape& shape, int64_t k) {
    std::vector<float> v(static_cast<size_t>(descent::numel(shape)));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(static_cast<double>((7 * int64_t(i) + 3 * k) % 17 - 8) / 20.0);
    return descent::tensor(v, shape);
}

// The module's parameters, in named_parameters() order, get det(shape, k0 + position).
inline void set_det_params(descent::nn::Module& m, int64_t k0 = 20) {
    descent::NoGradGuard no_grad;
    int64_t j = 0;
    for (auto& [name, p] : m.named_parameters()) p.copy_(det(p.shape(), k0 + j++));
}

// Σ t·det(t's shape, k): the weighted sum whose gradients the reference printed.
inline descent::Tensor weighted(const descent::Tensor& t, int64_t k) {
    return (t * det(t.shape(), k)).sum();
}

}  // namespace test
