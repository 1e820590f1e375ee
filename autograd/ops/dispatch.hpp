// Dtype dispatch at the door of the ops outside the elementwise door (reductions, products,
// softmax, nn kernels): float32 runs the float kernels untouched, float64 their double overloads,
// and any other dtype is a TypeError naming the op before anything is allocated.
#pragma once

#include "descent/core/error.hpp"
#include "descent/core/tensor.hpp"

namespace descent::ops_detail {

// f(T{}) with T = float or double for t; a TypeError naming op otherwise.
template <class F>
decltype(auto) visit_floating(ScalarType t, const char* op, F&& f) {
    DESCENT_CHECK(is_floating_point(t), TypeError, op, "(): expected a floating tensor, got ", t);
    if (t == kFloat64) return f(double{});
    return f(float{});
}

// The dtype two floating operands compute in (promote_types); a TypeError naming op otherwise.
inline ScalarType floating_result(const Tensor& a, const Tensor& b, const char* op) {
    DESCENT_CHECK(a.is_floating_point() && b.is_floating_point(), TypeError, op,
                  "(): expected floating tensors, got ", a.dtype(), " and ", b.dtype());
    return promote_types(a.dtype(), b.dtype());
}

// t in dtype: t itself when it already is, else a converted contiguous copy.
inline Tensor as_dtype(const Tensor& t, ScalarType dtype) {
    return t.dtype() == dtype ? t : descent::detail::converted(t, dtype);
}

}  // namespace descent::ops_detail
