// The Connectionist Temporal Classification loss (Graves et al., 2006), as torch's F.ctc_loss: the
// negative log-probability of a target sequence summed over every alignment of it to the input
// frames, by the alpha recursion in log space; a fused alpha-beta backward, and one built from
// descent's ops under create_graph.
#pragma once

#include <cstdint>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/nn/reduction.hpp"

namespace descent::nn::functional {

// blank: the blank class, in [0, C); reduction: Mean divides each sample's loss by its target
// length (at least 1) and then takes the mean over the batch (PyTorch's), Sum adds the losses,
// None returns them (N); zero_infinity: an impossible alignment's loss (inf) and its gradient
// become 0.
// Each setter returns the options, each getter of the same name reads them (loss_options.hpp).
struct CTCLossFuncOptions {
    CTCLossFuncOptions& blank(int64_t v) { return blank_ = v, *this; }
    CTCLossFuncOptions& reduction(Reduction v) { return reduction_ = v, *this; }
    CTCLossFuncOptions& zero_infinity(bool v) { return zero_infinity_ = v, *this; }
    int64_t blank() const { return blank_; }
    Reduction reduction() const { return reduction_; }
    bool zero_infinity() const { return zero_infinity_; }

private:
    int64_t blank_ = 0;
    Reduction reduction_ = Reduction::Mean;
    bool zero_infinity_ = false;
};

// log_probs: (T, N, C) log-probabilities (e.g. log_softmax(x, 2)), float32 or float64, or unbatched
// (T, C). targets (int64): padded (N, S), sample n's labels in targets[n, :target_lengths[n]], or
// concatenated (sum(target_lengths)); unbatched, (S). input_lengths, target_lengths (int64): one
// per sample, (N) (unbatched, a 0-D or 1-element tensor). With the extended labels
// l' = (blank, l1, blank, l2, ..., blank) of length 2L+1,
//   alpha_0(0) = lp_0(blank), alpha_0(1) = lp_0(l1),
//   alpha_t(s) = lp_t(l'_s) + logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1), alpha_{t-1}(s-2) if
//                l'_s ≠ blank and l'_s ≠ l'_{s-2}),
//   loss = -logsumexp(alpha_{Ti-1}(2L), alpha_{Ti-1}(2L-1)), inf if no alignment fits.
// Gradient: d loss/d lp_t(c) = -exp(logsumexp_{s: l'_s = c}(alpha_t(s) + beta_t(s)) + loss
// - lp_t(c)), 0 for t >= input_length: the true derivative. (PyTorch's backward returns that plus
// exp(lp_t(c)), a term log_softmax's backward cancels: the two agree on the logits' gradient.)
// The backward is a fused alpha-beta kernel (once-differentiable); under create_graph it falls
// back to the gradient of the same recursion built from descent's ops, so the loss is twice
// differentiable (there an impossible sample's gradient is 0, where the fused one is NaN).
// Errors, before anything is computed: ShapeError for log_probs not 3-D/2-D, a count of lengths
// other than N, a target_length beyond S (padded) or a concatenated targets size other than
// sum(target_lengths); TypeError for non-floating log_probs or non-int64 targets/lengths;
// ValueError for an input_length outside [0, T], a negative target_length, a blank outside [0, C);
// IndexError for a target label outside [0, C) or equal to blank.
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, const CTCLossFuncOptions& options = {},
                CallSite = {});
// The same with the lengths as vectors, as torch's IntArrayRef overload.
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets,
                const std::vector<int64_t>& input_lengths,
                const std::vector<int64_t>& target_lengths, const CTCLossFuncOptions& options = {},
                CallSite = {});

}  // namespace descent::nn::functional
