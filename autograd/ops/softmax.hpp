// softmax, log_softmax and logsumexp along a dim, numerically stable (the max is subtracted first).
#pragma once

#include "descent/core/tensor.hpp"

namespace descent {

Tensor softmax(const Tensor& a, int64_t dim, CallSite = {});
Tensor log_softmax(const Tensor& a, int64_t dim, CallSite = {});
Tensor logsumexp(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});

}  // namespace descent
