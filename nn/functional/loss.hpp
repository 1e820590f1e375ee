// Loss functions, with PyTorch's formulas. Each computes a per-element loss and then reduces it
// (Reduction::Mean by default). Input and target must have the same shape (no broadcasting: a
// (N, 1) prediction against (N) targets is a classic silent bug); a ShapeError names both.
// cross_entropy is in cross_entropy.hpp; the options each loss takes in loss_options.hpp.
#pragma once

#include <initializer_list>

#include <cstdint>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/functional/loss_options.hpp"
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
// torch's F.nll_loss on log-probabilities, with the shapes, weight and ignore_index of
// cross_entropy's class-index form (cross_entropy.hpp): nll_loss(log_softmax(x, 1), t, o) is
// cross_entropy(x, t, o) without smoothing.
Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options,
                CallSite = {});

// input: probabilities in [0, 1] (ValueError otherwise), target: in [0, 1]:
// -(y·log x + (1-y)·log(1-x)), each log clamped at -100 as PyTorch does, so x = 0 or 1 gives a
// finite loss. Gradient g·(x - y)/max(x(1-x), 1e-12), PyTorch's.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            Reduction reduction = Reduction::Mean, CallSite = {});
// The same on logits, in the stable form max(x, 0) - x·y + log(1 + exp(-|x|)): no overflow for any
// x; gradient g·(σ(x) - y), exact at x = 0 too.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        Reduction reduction = Reduction::Mean, CallSite = {});

// With per-element `weight` and per-class `pos_weight` p (both broadcast to the input, as
// PyTorch): l = -w·(p·y·log σ(x) + (1 - y)·log(1 - σ(x))). ShapeError if either does not
// broadcast; without either, the function above.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BinaryCrossEntropyWithLogitsFuncOptions& options,
                                        CallSite = {});
Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossFuncOptions& options,
                  CallSite = {});
// d = |x - y|:  ½d²/β if d < β, else d - ½β; β = 0 is l1_loss. ValueError if β < 0.
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                      const SmoothL1LossFuncOptions& options = {}, CallSite = {});

// ---- distance and ranking losses (embedding_loss.cpp) ----
// x1, x2: (N, D) or (D); y: (N) or () of 1 or -1 (ValueError otherwise). With cos the cosine
// similarity along D (PyTorch's: ε = 1e-12 added to each squared norm): 1 - cos where y = 1,
// max(0, cos - margin) where y = -1.
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             const CosineEmbeddingLossFuncOptions& options = {}, CallSite = {});
// max(0, -y·(x1 - x2) + margin); x1, x2 and y of one shape.
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           const MarginRankingLossFuncOptions& options = {}, CallSite = {});
// max(0, margin + d(a, p) - d(a, n)), d(u, v) = ‖u - v + eps‖_p along the last dim; with swap,
// d(a, n) is replaced by min(d(a, n), d(p, n)). a, p, n: (N, D) or (D), of one shape.
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossFuncOptions& options = {}, CallSite = {});

// ---- divergences and likelihoods (likelihood_loss.cpp) ----
// input: log-probabilities; target: probabilities (or log-probabilities with log_target):
// target·(log target - input), 0 where target = 0. BatchMean divides the sum by input.size(0) (the
// KL divergence per sample); Mean by the number of elements (PyTorch's default, not the KL).
Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& options = {},
              CallSite = {});
// Poisson negative log-likelihood: exp(x) - y·x with log_input, else x - y·log(x + eps); full
// adds Stirling's y·log y - y + ½log(2πy) where y > 1. ValueError if eps < 0.
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target,
                        const PoissonNLLLossFuncOptions& options = {}, CallSite = {});
// ½(log v + (x - y)²/v) (+ ½log 2π with full), v = var clamped below at eps with its gradient
// passed unclamped (as PyTorch). var: the input's shape, or it without the last dim, or with a
// last dim of 1 (one variance per sample); ShapeError otherwise, ValueError if an entry is < 0.
Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                         const GaussianNLLLossFuncOptions& options = {}, CallSite = {});

namespace detail {
// For the loss sources: ValueError if either is undefined, ShapeError unless of one shape.
void check_pair(const Tensor& input, const Tensor& target, const char* op);
// The loss reduced: as it is, its sum, or its mean (ValueError naming op if empty).
Tensor reduce(const Tensor& loss, Reduction reduction, const char* op);
}  // namespace detail

}  // namespace descent::nn::functional
