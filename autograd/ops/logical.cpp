// Logic on masks, bitwise integer ops, the NaN/inf classifiers and all / any. No gradients: the
// results are bool (or integer) tensors. Operands are read through detail::converted.
#include "descent/autograd/ops/logical.hpp"

#include "descent/autograd/ops/forward.hpp"
#include "descent/core/kernels/reduce.hpp"

namespace descent {

using kernels::Logical;
using ops_detail::check_defined;

namespace {

// out (bool, the broadcast shape) = a op b, both read as != 0
Tensor logical(Logical op, const Tensor& a, const Tensor& b, const char* name) {
    check_defined(a, name, "first operand");
    check_defined(b, name, "second operand");
    Tensor out = make_tensor(broadcast_shapes(a.shape(), b.shape(), name), kBool);
    const Tensor x = detail::converted(a, kBool), y = detail::converted(b, kBool);
    kernels::logical(op, x.data<bool>(), x.shape(), y.data<bool>(), y.shape(), out.data<bool>(),
                     out.shape());
    return out;
}

// bool operands: logical; integers: bit by bit in int64, the result in their promoted dtype.
Tensor bitwise(Logical op, const Tensor& a, const Tensor& b, const char* name) {
    check_defined(a, name, "first operand");
    check_defined(b, name, "second operand");
    const ScalarType t = promote_types(a.dtype(), b.dtype());
    DESCENT_CHECK(!is_floating_point(t), TypeError, name,
                  "(): expected integer or bool tensors, got ", a.dtype(), " and ", b.dtype());
    if (t == kBool) return logical(op, a, b, name);
    const Shape shape = broadcast_shapes(a.shape(), b.shape(), name);
    const Tensor x = detail::converted(a, kInt64), y = detail::converted(b, kInt64);
    Tensor out = make_tensor(shape, kInt64);
    kernels::bitwise(op, x.data<int64_t>(), x.shape(), y.data<int64_t>(), y.shape(),
                     out.data<int64_t>(), shape);
    return t == kInt64 ? out : detail::converted(out, t);
}

// a (bool) -> a 0-d bool tensor holding v
Tensor bool_scalar(bool v) {
    Tensor out = make_tensor(Shape{}, kBool);
    out.data<bool>()[0] = v;
    return out;
}

Tensor reduce_all_any(const Tensor& a, int64_t dim, bool keepdim, bool all, const char* name) {
    check_defined(a, name);
    const int64_t d = normalize_dim(dim, a.shape(), name);
    if (a.dim() == 0) return all ? descent::all(a) : descent::any(a);  // dim 0 of a 0-d tensor
    std::vector<int64_t> dims(a.shape().begin(), a.shape().end());
    if (keepdim)
        dims[d] = 1;
    else
        dims.erase(dims.begin() + d);
    Tensor out = make_tensor(Shape(dims.begin(), dims.end()), kBool);
    const Tensor x = detail::converted(a, kBool);
    const kernels::Axis axis = kernels::split_at(a.shape(), d);
    if (all)
        kernels::all_along(x.data<bool>(), axis, out.data<bool>());
    else
        kernels::any_along(x.data<bool>(), axis, out.data<bool>());
    return out;
}

Tensor classify(kernels::Classify op, const Tensor& a, const char* name) {
    check_defined(a, name);
    Tensor out = make_tensor(a.shape(), kBool);
    const Tensor x = detail::dense(a);
    if (a.dtype() == kFloat32)
        kernels::classify(op, x.data<float>(), a.numel(), out.data<bool>());
    else if (a.dtype() == kFloat64)
        kernels::classify(op, x.data<double>(), a.numel(), out.data<bool>());
    else  // integers are never NaN nor infinite
        out.fill_(op == kernels::Classify::IsFinite ? 1.0 : 0.0);
    return out;
}

}  // namespace

Tensor logical_and(const Tensor& a, const Tensor& b) {
    return logical(Logical::And, a, b, "logical_and");
}
Tensor logical_or(const Tensor& a, const Tensor& b) {
    return logical(Logical::Or, a, b, "logical_or");
}
Tensor logical_xor(const Tensor& a, const Tensor& b) {
    return logical(Logical::Xor, a, b, "logical_xor");
}
Tensor logical_not(const Tensor& a) {
    check_defined(a, "logical_not");
    Tensor out = make_tensor(a.shape(), kBool);
    kernels::logical_not(detail::converted(a, kBool).data<bool>(), a.numel(), out.data<bool>());
    return out;
}

Tensor bitwise_and(const Tensor& a, const Tensor& b) {
    return bitwise(Logical::And, a, b, "bitwise_and");
}
Tensor bitwise_or(const Tensor& a, const Tensor& b) {
    return bitwise(Logical::Or, a, b, "bitwise_or");
}
Tensor bitwise_xor(const Tensor& a, const Tensor& b) {
    return bitwise(Logical::Xor, a, b, "bitwise_xor");
}
Tensor bitwise_not(const Tensor& a) {
    check_defined(a, "bitwise_not");
    DESCENT_CHECK(!a.is_floating_point(), TypeError,
                  "bitwise_not(): expected an integer or bool tensor, got ", a.dtype());
    if (a.dtype() == kBool) return logical_not(a);
    Tensor out = detail::converted(a, kInt64).clone();
    int64_t* p = out.data<int64_t>();
    // out: (n);  out = ~a
    for (int64_t i = 0; i < out.numel(); ++i) p[i] = ~p[i];
    return a.dtype() == kInt64 ? out : detail::converted(out, a.dtype());
}

Tensor operator&(const Tensor& a, const Tensor& b) { return bitwise_and(a, b); }
Tensor operator|(const Tensor& a, const Tensor& b) { return bitwise_or(a, b); }
Tensor operator^(const Tensor& a, const Tensor& b) { return bitwise_xor(a, b); }
Tensor operator~(const Tensor& a) { return bitwise_not(a); }
Tensor operator!(const Tensor& a) { return logical_not(a); }

Tensor isnan(const Tensor& a) { return classify(kernels::Classify::IsNan, a, "isnan"); }
Tensor isinf(const Tensor& a) { return classify(kernels::Classify::IsInf, a, "isinf"); }
Tensor isfinite(const Tensor& a) { return classify(kernels::Classify::IsFinite, a, "isfinite"); }

Tensor all(const Tensor& a) {
    check_defined(a, "all");
    return bool_scalar(kernels::all(detail::converted(a, kBool).data<bool>(), a.numel()));
}
Tensor any(const Tensor& a) {
    check_defined(a, "any");
    return bool_scalar(kernels::any(detail::converted(a, kBool).data<bool>(), a.numel()));
}
Tensor all(const Tensor& a, int64_t dim, bool keepdim) {
    return reduce_all_any(a, dim, keepdim, true, "all");
}
Tensor any(const Tensor& a, int64_t dim, bool keepdim) {
    return reduce_all_any(a, dim, keepdim, false, "any");
}

// ---- method forms -----------------------------------------------------------------------------
Tensor Tensor::isnan() const { return descent::isnan(*this); }
Tensor Tensor::isinf() const { return descent::isinf(*this); }
Tensor Tensor::isfinite() const { return descent::isfinite(*this); }
Tensor Tensor::all() const { return descent::all(*this); }
Tensor Tensor::any() const { return descent::any(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return descent::all(*this, dim, keepdim); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return descent::any(*this, dim, keepdim); }
Tensor Tensor::logical_and(const Tensor& other) const { return descent::logical_and(*this, other); }
Tensor Tensor::logical_or(const Tensor& other) const { return descent::logical_or(*this, other); }
Tensor Tensor::logical_xor(const Tensor& other) const { return descent::logical_xor(*this, other); }
Tensor Tensor::logical_not() const { return descent::logical_not(*this); }

}  // namespace descent
