// Reductions over several dims at once (sum, mean, amax, amin), and var / std with PyTorch's
// `correction`. An empty dim list means every dim, as in PyTorch. Composed from the one-dim
// reductions (reduce.hpp), so their gradients are those ops' gradients.
#pragma once

#include <optional>
#include <vector>

#include "descent/autograd/ops/reduce.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

// torch.sum(x, {0, 2}, keepdim): each dim at most once; negative dims count from the end.
Tensor sum(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false, CallSite = {});
Tensor mean(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim = false, CallSite = {});

// torch.amax / amin: the gradient is split evenly among the tied extremes of each reduced block.
Tensor amax(const Tensor& a, const std::vector<int64_t>& dims = {}, bool keepdim = false,
            CallSite = {});
Tensor amax(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});
Tensor amin(const Tensor& a, const std::vector<int64_t>& dims = {}, bool keepdim = false,
            CallSite = {});
Tensor amin(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});

// torch.var / torch.std with `correction`: Σ (a - mean)² / max(0, n - correction), n the number of
// elements reduced (correction 1 is the unbiased estimate, 0 the population variance). dims
// std::nullopt reduces every dim, as dim=None: var(x, std::nullopt, 0). The (dim, int correction)
// forms exist so that var(x, 1, 2) and var(x, {1}, 2) mean dim 1 with correction 2, not
// unbiased = true.
Tensor var(const Tensor& a, const std::vector<int64_t>& dims, int64_t correction,
           bool keepdim = false, CallSite = {});
Tensor var(const Tensor& a, std::nullopt_t all_dims, int64_t correction, bool keepdim = false,
           CallSite = {});
Tensor var(const Tensor& a, int64_t dim, int correction, bool keepdim = false, CallSite = {});
Tensor var(const Tensor& a, int dim, int correction, bool keepdim = false, CallSite = {});
// std = √var, with the same forms as var (reduce.hpp's bool `unbiased` ones included). After
// `using namespace descent;` a bare std(x) is ambiguous with namespace std: write descent::std(x)
// (torch::std in libtorch) or x.std().
Tensor std(const Tensor& a, bool unbiased = true, CallSite = {});
Tensor std(const Tensor& a, int64_t dim, bool unbiased = true, bool keepdim = false, CallSite = {});
Tensor std(const Tensor& a, int dim, bool unbiased = true, bool keepdim = false, CallSite = {});
Tensor std(const Tensor& a, const std::vector<int64_t>& dims, int64_t correction,
           bool keepdim = false, CallSite = {});
Tensor std(const Tensor& a, std::nullopt_t all_dims, int64_t correction, bool keepdim = false,
           CallSite = {});
Tensor std(const Tensor& a, int64_t dim, int correction, bool keepdim = false, CallSite = {});
Tensor std(const Tensor& a, int dim, int correction, bool keepdim = false, CallSite = {});

}  // namespace descent
