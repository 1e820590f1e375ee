// Loss modules: argument checks at construction, forward through nn::functional.
#include "descent/nn/loss.hpp"

#include <ostream>

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

Tensor BCEWithLogitsLoss::forward(const Tensor& input, const Tensor& target) {
    return functional::binary_cross_entropy_with_logits(input, target, reduction);
}

CrossEntropyLoss::CrossEntropyLoss(Reduction reduction_, float label_smoothing_)
    : ClassLoss("CrossEntropyLoss", reduction_), label_smoothing(label_smoothing_) {
    DESCENT_CHECK(label_smoothing >= 0.0f && label_smoothing <= 1.0f, ValueError,
                  "CrossEntropyLoss(): label_smoothing must be in [0, 1], got ", label_smoothing);
}
Tensor CrossEntropyLoss::forward(const Tensor& input, const std::vector<int64_t>& targets) {
    return functional::cross_entropy(input, targets, reduction, label_smoothing);
}
void CrossEntropyLoss::pretty_print(std::ostream& os) const {
    os << "CrossEntropyLoss(reduction=" << to_string(reduction)
       << ", label_smoothing=" << label_smoothing << ")";
}

Tensor NLLLoss::forward(const Tensor& input, const std::vector<int64_t>& targets) {
    return functional::nll_loss(input, targets, reduction);
}

}  // namespace descent::nn
