// CTCLoss: the blank checked at construction, forward through functional::ctc_loss with the
// module's reduction.
#include "descent/nn/ctc_loss.hpp"

#include <ostream>

#include "descent/core/error.hpp"

namespace descent::nn {

CTCLoss::CTCLoss(const CTCLossOptions& options_)
    : Loss("CTCLoss", options_.reduction()), options(options_) {
    DESCENT_CHECK(options.blank() >= 0, ValueError, "CTCLoss(): blank must be >= 0, got ",
                  options.blank());
}

Tensor CTCLoss::forward(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                        const Tensor& target_lengths) {
    return functional::ctc_loss(log_probs, targets, input_lengths, target_lengths,
                                CTCLossOptions(options).reduction(reduction));
}

Tensor CTCLoss::forward(const Tensor& log_probs, const Tensor& targets,
                        const std::vector<int64_t>& input_lengths,
                        const std::vector<int64_t>& target_lengths) {
    return functional::ctc_loss(log_probs, targets, input_lengths, target_lengths,
                                CTCLossOptions(options).reduction(reduction));
}

void CTCLoss::pretty_print(std::ostream& os) const {
    os << "CTCLoss(blank=" << options.blank() << ", reduction=" << to_string(reduction)
       << ", zero_infinity=" << (options.zero_infinity() ? "true" : "false") << ")";
}

}  // namespace descent::nn
