// Cross-entropy of logits against class labels: log-softmax and the negative log-likelihood fused
// into one autograd node, the loss of every classifier.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/functional/loss_options.hpp"
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

// torch's F.cross_entropy in full. input: (N, C), (N, C, d1, ...) or unbatched (C); the classes
// along dim 1 (dim 0 unbatched). target either
//  - class indices: int64 of the input's shape without the class dim; options.weight() (C)
//    weighs each sample by its class, the mean divides by the sum of those weights (PyTorch's
//    weighted mean), a target equal to options.ignore_index() adds 0 and is not counted (a mean
//    over no counted sample is NaN, as PyTorch); or
//  - probabilities: a floating tensor of the input's shape (soft labels, each row summing to 1),
//    loss -Σ_c w_c·q_c·log_softmax(input)_c, the mean over the N·d1·... positions.
// Label smoothing mixes each target with the uniform distribution as PyTorch does. A 2-D input
// with no weight and no ignored target takes the fused path above (same values, same speed).
// TypeError for an integer input or a target of another dtype; ShapeError for a target or weight
// that does not fit; IndexError for a class outside [0, C); ValueError for label_smoothing outside
// [0, 1] or an ignore_index >= 0 with probability targets (as PyTorch).
Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyFuncOptions& options, CallSite = {});

namespace detail {
// targets (an int64 tensor of N labels) as a vector, checked for `op`.
std::vector<int64_t> label_vector(const Tensor& targets, const char* op);
}  // namespace detail

}  // namespace descent::nn::functional
