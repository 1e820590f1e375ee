// Comparisons, elementwise extremes and selection, with broadcasting. Comparisons compare in the
// operands' promoted dtype and return bool masks (as PyTorch) that do not require grad.
#pragma once

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

// Gradient goes to the larger (smaller) input; on a tie it is split equally, and where either
// is NaN both get all of it, as in PyTorch.
Tensor maximum(const Tensor& a, const Tensor& b, CallSite = {});
Tensor minimum(const Tensor& a, const Tensor& b, CallSite = {});

Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);

Tensor operator==(const Tensor& a, const Tensor& b);
Tensor operator!=(const Tensor& a, const Tensor& b);
Tensor operator<(const Tensor& a, const Tensor& b);
Tensor operator<=(const Tensor& a, const Tensor& b);
Tensor operator>(const Tensor& a, const Tensor& b);
Tensor operator>=(const Tensor& a, const Tensor& b);
// A C++ number on either side: compared in the dtype promote_with_scalar gives.
template <class S>
ops_detail::IfNumber<S> operator==(const Tensor& a, S b) {
    return eq(a, ops_detail::number(a, b));
}
template <class S>
ops_detail::IfNumber<S> operator!=(const Tensor& a, S b) {
    return ne(a, ops_detail::number(a, b));
}
template <class S>
ops_detail::IfNumber<S> operator<(const Tensor& a, S b) {
    return lt(a, ops_detail::number(a, b));
}
template <class S>
ops_detail::IfNumber<S> operator<=(const Tensor& a, S b) {
    return le(a, ops_detail::number(a, b));
}
template <class S>
ops_detail::IfNumber<S> operator>(const Tensor& a, S b) {
    return gt(a, ops_detail::number(a, b));
}
template <class S>
ops_detail::IfNumber<S> operator>=(const Tensor& a, S b) {
    return ge(a, ops_detail::number(a, b));
}
template <class S>
ops_detail::IfNumber<S> operator==(S a, const Tensor& b) {
    return eq(ops_detail::number(b, a), b);
}
template <class S>
ops_detail::IfNumber<S> operator!=(S a, const Tensor& b) {
    return ne(ops_detail::number(b, a), b);
}
template <class S>
ops_detail::IfNumber<S> operator<(S a, const Tensor& b) {
    return lt(ops_detail::number(b, a), b);
}
template <class S>
ops_detail::IfNumber<S> operator<=(S a, const Tensor& b) {
    return le(ops_detail::number(b, a), b);
}
template <class S>
ops_detail::IfNumber<S> operator>(S a, const Tensor& b) {
    return gt(ops_detail::number(b, a), b);
}
template <class S>
ops_detail::IfNumber<S> operator>=(S a, const Tensor& b) {
    return ge(ops_detail::number(b, a), b);
}

// cond ? a : b, elementwise with broadcasting of all three, in a and b's promoted dtype;
// differentiable in a and b. cond is a bool mask as in PyTorch; a cond of another dtype is read
// as cond != 0 (a NaN counts as true), as descent did before bool tensors existed.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b, CallSite = {});

}  // namespace descent
