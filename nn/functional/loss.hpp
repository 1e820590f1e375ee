// Loss functions, with PyTorch's formulas. Each computes a per-element loss and then reduces it
// (Reduction::Mean by default). Input and target must have the same shape (no broadcasting: a
// (N, 1) prediction against (N) targets is a classic silent bug); a ShapeError names both.
// cross_entropy is in cross_entropy.hpp.
#pragma once

#include <initializer_list>

#include <cstdint>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/reduction.hpp"

namespace descent::nn::functional {

// (x - y)²
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean,
                CallSite = {});
// |x - y|
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean,
               CallSite = {});
// d = |x - y|:  ½d² if d < delta, else delta·(d - ½delta). ValueError unless delta > 0.
Tensor huber_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean,
                  float delta = 1.0f, CallSite = {});
// input: (N, C) log-probabilities, targets: N labels in [0, C):  -input[i, t_i].
Tensor nll_loss(const Tensor& input, const std::vector<int64_t>& targets,
                Reduction reduction = Reduction::Mean, CallSite = {});
// The same with targets as an int64 tensor (N); TypeError naming the dtype for any other.
Tensor nll_loss(const Tensor& input, const Tensor& targets, Reduction reduction = Reduction::Mean,
                CallSite = {});
inline Tensor nll_loss(const Tensor& input, std::initializer_list<int64_t> targets,
                       Reduction reduction = Reduction::Mean) {
    return nll_loss(input, std::vector<int64_t>(targets), reduction);
}
// input: probabilities in [0, 1] (ValueError otherwise), target: in [0, 1]:
// -(y·log x + (1-y)·log(1-x)), each log clamped at -100 as PyTorch does, so x = 0 or 1 gives a
// finite loss. Gradient g·(x - y)/max(x(1-x), 1e-12), PyTorch's.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            Reduction reduction = Reduction::Mean, CallSite = {});
// The same on logits, in the stable form max(x, 0) - x·y + log(1 + exp(-|x|)): no overflow for any
// x; gradient g·(σ(x) - y), exact at x = 0 too.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        Reduction reduction = Reduction::Mean, CallSite = {});

}  // namespace descent::nn::functional
