// Reductions over all elements or along one dim (negative dims count from the end), with keepdim.
#pragma once

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
Tensor max(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});
Tensor min(const Tensor& a, CallSite = {});
Tensor min(const Tensor& a, int64_t dim, bool keepdim = false, CallSite = {});
// Variance; unbiased divides by n - 1 (PyTorch's default), else by n.
Tensor var(const Tensor& a, bool unbiased = true, CallSite = {});
Tensor var(const Tensor& a, int64_t dim, bool unbiased = true, bool keepdim = false, CallSite = {});
// So that var(x, 1) means dim 1: with only the two overloads above, an int converts equally well
// to bool and to int64_t and the call would be ambiguous.
Tensor var(const Tensor& a, int dim, bool unbiased = true, bool keepdim = false, CallSite = {});

// Index of the first maximum (minimum): over all elements (flat index, one entry), or along `dim`
// (one entry per position of the other dims, in row-major order). Not differentiable.
std::vector<int64_t> argmax(const Tensor& a);
std::vector<int64_t> argmax(const Tensor& a, int64_t dim);
std::vector<int64_t> argmin(const Tensor& a);
std::vector<int64_t> argmin(const Tensor& a, int64_t dim);

// a summed down to `shape`, which must broadcast to a's shape: the adjoint of expand, and how every
// broadcasting op returns a gradient to a broadcast input. Returns a itself when shapes are equal.
Tensor sum_to_size(const Tensor& a, const Shape& shape, CallSite = {});

}  // namespace descent
