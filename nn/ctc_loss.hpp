// The CTC loss module, as torch::nn::CTCLoss: functional::ctc_loss with its blank, reduction and
// zero_infinity fixed at construction, called with (log_probs, targets, input_lengths,
// target_lengths).
#pragma once

#include <cstdint>
#include <vector>

#include "descent/nn/functional/ctc_loss.hpp"
#include "descent/nn/loss.hpp"

namespace descent::nn {

using CTCLossOptions = functional::CTCLossFuncOptions;

// ValueError for a negative blank (one >= C is refused by the call, which knows C).
class CTCLoss : public Loss {
public:
    explicit CTCLoss(const CTCLossOptions& options = {});
    Tensor forward(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                   const Tensor& target_lengths);
    Tensor forward(const Tensor& log_probs, const Tensor& targets,
                   const std::vector<int64_t>& input_lengths,
                   const std::vector<int64_t>& target_lengths);
    Tensor operator()(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                      const Tensor& target_lengths) {
        return forward(log_probs, targets, input_lengths, target_lengths);
    }
    Tensor operator()(const Tensor& log_probs, const Tensor& targets,
                      const std::vector<int64_t>& input_lengths,
                      const std::vector<int64_t>& target_lengths) {
        return forward(log_probs, targets, input_lengths, target_lengths);
    }
    void pretty_print(std::ostream& os) const override;
    CTCLossOptions options;
};

}  // namespace descent::nn
