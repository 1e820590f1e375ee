// Vector norms over all elements or over dims, as torch.norm / torch.linalg.vector_norm:
// p = 1 (Σ|a|), 2 (√Σa², also "fro"), inf (max |a|) and any other p > 0 ((Σ|a|^p)^(1/p)).
#pragma once

#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// The 2-norm's gradient at 0 is 0, PyTorch's subgradient; p = inf splits it among ties of |a|.
// An empty dims list means every dim. ValueError for p <= 0 or NaN.
Tensor norm(const Tensor& a, float p = 2.0f, CallSite = {});
Tensor norm(const Tensor& a, float p, const std::vector<int64_t>& dims, bool keepdim = false,
            CallSite = {});
// p = "fro": the 2-norm of the elements; any other string is a ValueError.
Tensor norm(const Tensor& a, const std::string& p, const std::vector<int64_t>& dims = {},
            bool keepdim = false, CallSite = {});

}  // namespace descent
