// Reductions over all elements or along one dim (negative dims count from the end), with keepdim.
#pragma once

#include <optional>
#include <tuple>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

Tensor sum(const Tensor& a, CallSite = {});
Tensor sum(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});
Tensor mean(const Tensor& a, CallSite = {});
Tensor mean(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});
// Gradient split equally among tied maxima (minima), as torch.amax. NaN is the maximum (and the
// minimum): the gradient goes to the NaN positions, as torch.max; torch.amax gives NaN to all.
Tensor max(const Tensor& a, CallSite = {});
Tensor min(const Tensor& a, CallSite = {});
// Along a dim: (values, int64 indices of the first maximum / minimum), as libtorch's
// `auto [v, i] = torch::max(x, 1);`. The values' gradient goes to the returned positions.
std::tuple<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});
std::tuple<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});
// Variance; unbiased divides by n - 1 (PyTorch's default), else by n.
Tensor var(const Tensor& a, bool unbiased = true, CallSite = {});
Tensor var(const Tensor& a, int64_t dim, bool unbiased = true, bool keepdim = false, CallSite = {});
// So that var(x, 1) means dim 1: with only the two overloads above, an int converts equally well
// to bool and to int64_t and the call would be ambiguous.
Tensor var(const Tensor& a, int dim, bool unbiased = true, bool keepdim = false, CallSite = {});

namespace detail {
// The values of max (min) along a dim with amax's gradient, split evenly among ties (amax, amin).
Tensor max_values(const Tensor& a, int64_t dim, bool keepdim);
Tensor min_values(const Tensor& a, int64_t dim, bool keepdim);
}  // namespace detail

// Index of the first maximum (minimum) as an int64 tensor: over all elements (a 0-d flat index),
// or along `dim` (keepdim keeps it as size 1). NaN counts as the maximum (and the minimum), as in
// PyTorch. Any real dtype; not differentiable.
Tensor argmax(const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
              CallSite = {});
Tensor argmin(const Tensor& a, std::optional<int64_t> dim = std::nullopt, bool keepdim = false,
              CallSite = {});

// a summed down to `shape`, which must broadcast to a's shape: the adjoint of expand, and how every
// broadcasting op returns a gradient to a broadcast input. Returns a itself when shapes are equal.
Tensor sum_to_size(const Tensor& a, const Shape& shape, CallSite = {});

}  // namespace descent
