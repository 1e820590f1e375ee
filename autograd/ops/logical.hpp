// Logic on masks: logical and / or / xor / not (any dtype, read as != 0; bool results), the
// operators & | ^ (bool: logical, int64: bitwise), ! and ~, isnan / isinf / isfinite, and the
// all / any reductions. None of these has a gradient.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent {

Tensor logical_and(const Tensor& a, const Tensor& b);
Tensor logical_or(const Tensor& a, const Tensor& b);
Tensor logical_xor(const Tensor& a, const Tensor& b);
Tensor logical_not(const Tensor& a);

// bool & bool is logical, int64 & int64 (or int64 & bool) bitwise; floating operands are a
// TypeError, as in PyTorch.
Tensor bitwise_and(const Tensor& a, const Tensor& b);
Tensor bitwise_or(const Tensor& a, const Tensor& b);
Tensor bitwise_xor(const Tensor& a, const Tensor& b);
Tensor bitwise_not(const Tensor& a);  // bool: logical not; int64: ~x
Tensor operator&(const Tensor& a, const Tensor& b);
Tensor operator|(const Tensor& a, const Tensor& b);
Tensor operator^(const Tensor& a, const Tensor& b);
Tensor operator~(const Tensor& a);
Tensor operator!(const Tensor& a);  // logical_not

// bool masks of a's shape; all false for an integer or bool tensor
Tensor isnan(const Tensor& a);
Tensor isinf(const Tensor& a);
Tensor isfinite(const Tensor& a);

// 0-d bool: every (some) element != 0; all of none is true, any of none false
Tensor all(const Tensor& a);
Tensor any(const Tensor& a);
// bool, the dim reduced (kept as size 1 with keepdim)
Tensor all(const Tensor& a, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& a, int64_t dim, bool keepdim = false);

}  // namespace descent
