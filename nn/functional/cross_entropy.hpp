// Cross-entropy of logits against class labels: log-softmax and the negative log-likelihood fused
// into one autograd node, the loss of every classifier.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/reduction.hpp"

namespace descent::nn::functional {

// logits: (N, C), targets: N labels in [0, C). With q_i = (1-ε)·onehot(t_i) + ε/C (ε =
// label_smoothing, in [0, 1]), loss_i = -Σ_j q_ij · log_softmax(logits_i)_j, then the mean over N,
// the sum, or the (N) vector. The gradient is (softmax - q)·g (/N for the mean), from the softmax
// saved by the forward; under create_graph it is computed with descent's ops instead, so the loss
// is twice differentiable at no cost to the first-order path.
// IndexError for a target outside [0, C), ShapeError if N and the number of targets differ.
Tensor cross_entropy(const Tensor& logits, const std::vector<int64_t>& targets,
                     Reduction reduction = Reduction::Mean, float label_smoothing = 0.0f,
                     CallSite = {});
// The same with targets as an int64 tensor (N), as torch's F.cross_entropy: TypeError naming the
// dtype for any other, ShapeError unless 1-D.
Tensor cross_entropy(const Tensor& logits, const Tensor& targets,
                     Reduction reduction = Reduction::Mean, float label_smoothing = 0.0f,
                     CallSite = {});

// (So that a braced list of labels, `cross_entropy(z, {0})`, means the vector form.)
inline Tensor cross_entropy(const Tensor& logits, std::initializer_list<int64_t> targets,
                            Reduction reduction = Reduction::Mean, float label_smoothing = 0.0f) {
    return cross_entropy(logits, std::vector<int64_t>(targets), reduction, label_smoothing);
}

namespace detail {
// targets (an int64 tensor of N labels) as a vector, checked for `op`.
std::vector<int64_t> label_vector(const Tensor& targets, const char* op);
}  // namespace detail

}  // namespace descent::nn::functional
