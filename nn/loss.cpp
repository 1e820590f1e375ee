// Loss modules: argument checks at construction, forward through nn::functional (class weights
// and pos_weight registered as buffers, as PyTorch).
#include "descent/nn/loss.hpp"

#include <ostream>

#include "descent/core/factory.hpp"

#include "descent/nn/functional/cross_entropy.hpp"
#include "descent/nn/functional/loss.hpp"

namespace descent::nn {

void Loss::pretty_print(std::ostream& os) const {
    os << type_name() << "(reduction=" << to_string(reduction) << ")";
}

Tensor MSELoss::forward(const Tensor& input, const Tensor& target) {
    return functional::mse_loss(input, target, reduction);
}

Tensor L1Loss::forward(const Tensor& input, const Tensor& target) {
    return functional::l1_loss(input, target, reduction);
}

HuberLoss::HuberLoss(Reduction reduction_, float delta_)
    : TensorLoss("HuberLoss", reduction_), delta(delta_) {
    DESCENT_CHECK(delta > 0.0f, ValueError, "HuberLoss(): delta must be > 0, got ", delta);
}
Tensor HuberLoss::forward(const Tensor& input, const Tensor& target) {
    return functional::huber_loss(input, target, reduction, delta);
}
void HuberLoss::pretty_print(std::ostream& os) const {
    os << "HuberLoss(reduction=" << to_string(reduction) << ", delta=" << delta << ")";
}

Tensor BCELoss::forward(const Tensor& input, const Tensor& target) {
    return functional::binary_cross_entropy(input, target, reduction);
}

BCEWithLogitsLoss::BCEWithLogitsLoss(const BCEWithLogitsLossOptions& options)
    : TensorLoss("BCEWithLogitsLoss", options.reduction()) {
    if (options.weight().defined()) weight = register_buffer("weight", options.weight());
    if (options.pos_weight().defined())
        pos_weight = register_buffer("pos_weight", options.pos_weight());
}
Tensor BCEWithLogitsLoss::forward(const Tensor& input, const Tensor& target) {
    if (!weight.defined() && !pos_weight.defined())
        return functional::binary_cross_entropy_with_logits(input, target, reduction);
    return functional::binary_cross_entropy_with_logits(
        input, target,
        BCEWithLogitsLossOptions().reduction(reduction).weight(weight).pos_weight(pos_weight));
}

CrossEntropyLoss::CrossEntropyLoss(Reduction reduction_, float label_smoothing_)
    : ClassLoss("CrossEntropyLoss", reduction_), label_smoothing(label_smoothing_) {
    DESCENT_CHECK(label_smoothing >= 0.0f && label_smoothing <= 1.0f, ValueError,
                  "CrossEntropyLoss(): label_smoothing must be in [0, 1], got ", label_smoothing);
}
CrossEntropyLoss::CrossEntropyLoss(const CrossEntropyLossOptions& options)
    : CrossEntropyLoss(options.reduction(), static_cast<float>(options.label_smoothing())) {
    if (options.weight().defined()) weight = register_buffer("weight", options.weight());
    ignore_index = options.ignore_index();
}
Tensor CrossEntropyLoss::forward(const Tensor& input, const std::vector<int64_t>& targets) {
    if (!weight.defined() && ignore_index == -100)
        return functional::cross_entropy(input, targets, reduction, label_smoothing);
    return forward(input, tensor(targets));
}
Tensor CrossEntropyLoss::forward(const Tensor& input, const Tensor& target) {
    return functional::cross_entropy(input, target,
                                     CrossEntropyLossOptions()
                                         .reduction(reduction)
                                         .label_smoothing(label_smoothing)
                                         .weight(weight)
                                         .ignore_index(ignore_index));
}
void CrossEntropyLoss::pretty_print(std::ostream& os) const {
    os << "CrossEntropyLoss(reduction=" << to_string(reduction)
       << ", label_smoothing=" << label_smoothing << ")";
}

NLLLoss::NLLLoss(const NLLLossOptions& options) : ClassLoss("NLLLoss", options.reduction()) {
    if (options.weight().defined()) weight = register_buffer("weight", options.weight());
    ignore_index = options.ignore_index();
}
Tensor NLLLoss::forward(const Tensor& input, const std::vector<int64_t>& targets) {
    if (!weight.defined() && ignore_index == -100)
        return functional::nll_loss(input, targets, reduction);
    return forward(input, tensor(targets));
}
Tensor NLLLoss::forward(const Tensor& input, const Tensor& target) {
    return functional::nll_loss(
        input, target,
        NLLLossOptions().reduction(reduction).weight(weight).ignore_index(ignore_index));
}

SmoothL1Loss::SmoothL1Loss(const SmoothL1LossOptions& options_)
    : TensorLoss("SmoothL1Loss", options_.reduction()), options(options_) {
    DESCENT_CHECK(options.beta() >= 0.0, ValueError, "SmoothL1Loss(): beta must be >= 0, got ",
                  options.beta());
}
Tensor SmoothL1Loss::forward(const Tensor& input, const Tensor& target) {
    return functional::smooth_l1_loss(input, target,
                                      SmoothL1LossOptions(options).reduction(reduction));
}
void SmoothL1Loss::pretty_print(std::ostream& os) const {
    os << "SmoothL1Loss(reduction=" << to_string(reduction) << ", beta=" << options.beta() << ")";
}

KLDivLoss::KLDivLoss(const KLDivLossOptions& options_) : Module("KLDivLoss"), options(options_) {}
Tensor KLDivLoss::forward(const Tensor& input, const Tensor& target) {
    return functional::kl_div(input, target, options);
}
void KLDivLoss::pretty_print(std::ostream& os) const {
    os << "KLDivLoss(reduction=" << functional::to_string(options.reduction())
       << ", log_target=" << (options.log_target() ? "true" : "false") << ")";
}

PoissonNLLLoss::PoissonNLLLoss(const PoissonNLLLossOptions& options_)
    : TensorLoss("PoissonNLLLoss", options_.reduction()), options(options_) {
    DESCENT_CHECK(options.eps() >= 0.0, ValueError, "PoissonNLLLoss(): eps must be >= 0, got ",
                  options.eps());
}
Tensor PoissonNLLLoss::forward(const Tensor& input, const Tensor& target) {
    return functional::poisson_nll_loss(input, target,
                                        PoissonNLLLossOptions(options).reduction(reduction));
}
void PoissonNLLLoss::pretty_print(std::ostream& os) const {
    os << "PoissonNLLLoss(reduction=" << to_string(reduction)
       << ", log_input=" << (options.log_input() ? "true" : "false")
       << ", full=" << (options.full() ? "true" : "false") << ", eps=" << options.eps() << ")";
}

GaussianNLLLoss::GaussianNLLLoss(const GaussianNLLLossOptions& options_)
    : Loss("GaussianNLLLoss", options_.reduction()), options(options_) {
    DESCENT_CHECK(options.eps() > 0.0, ValueError, "GaussianNLLLoss(): eps must be > 0, got ",
                  options.eps());
}
Tensor GaussianNLLLoss::forward(const Tensor& input, const Tensor& target, const Tensor& var) {
    return functional::gaussian_nll_loss(input, target, var,
                                         GaussianNLLLossOptions(options).reduction(reduction));
}
void GaussianNLLLoss::pretty_print(std::ostream& os) const {
    os << "GaussianNLLLoss(reduction=" << to_string(reduction)
       << ", full=" << (options.full() ? "true" : "false") << ", eps=" << options.eps() << ")";
}

CosineEmbeddingLoss::CosineEmbeddingLoss(const CosineEmbeddingLossOptions& options_)
    : Loss("CosineEmbeddingLoss", options_.reduction()), options(options_) {}
Tensor CosineEmbeddingLoss::forward(const Tensor& input1, const Tensor& input2,
                                    const Tensor& target) {
    return functional::cosine_embedding_loss(
        input1, input2, target, CosineEmbeddingLossOptions(options).reduction(reduction));
}
void CosineEmbeddingLoss::pretty_print(std::ostream& os) const {
    os << "CosineEmbeddingLoss(reduction=" << to_string(reduction)
       << ", margin=" << options.margin() << ")";
}

MarginRankingLoss::MarginRankingLoss(const MarginRankingLossOptions& options_)
    : Loss("MarginRankingLoss", options_.reduction()), options(options_) {}
Tensor MarginRankingLoss::forward(const Tensor& input1, const Tensor& input2,
                                  const Tensor& target) {
    return functional::margin_ranking_loss(input1, input2, target,
                                           MarginRankingLossOptions(options).reduction(reduction));
}
void MarginRankingLoss::pretty_print(std::ostream& os) const {
    os << "MarginRankingLoss(reduction=" << to_string(reduction) << ", margin=" << options.margin()
       << ")";
}

TripletMarginLoss::TripletMarginLoss(const TripletMarginLossOptions& options_)
    : Loss("TripletMarginLoss", options_.reduction()), options(options_) {
    DESCENT_CHECK(options.p() > 0.0, ValueError, "TripletMarginLoss(): p must be > 0, got ",
                  options.p());
}
Tensor TripletMarginLoss::forward(const Tensor& anchor, const Tensor& positive,
                                  const Tensor& negative) {
    return functional::triplet_margin_loss(anchor, positive, negative,
                                           TripletMarginLossOptions(options).reduction(reduction));
}
void TripletMarginLoss::pretty_print(std::ostream& os) const {
    os << "TripletMarginLoss(reduction=" << to_string(reduction) << ", margin=" << options.margin()
       << ", p=" << options.p() << ", eps=" << options.eps()
       << ", swap=" << (options.swap() ? "true" : "false") << ")";
}

}  // namespace descent::nn
