// Forward and backward of maximum, minimum and where; the comparisons, which have no gradient.
#include "descent/autograd/ops/compare.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;
using kernels::Binary;
using ops_detail::binary_forward;

namespace {

// ---- maximum / minimum ----------------------------------------------------------------------
struct ElementwiseExtremeBackward final : Node {
    // saved: a, b
    Binary wins = Binary::Gt;  // Gt for maximum, Lt for minimum
    const char* name() const override {
        return wins == Binary::Gt ? "MaximumBackward" : "MinimumBackward";
    }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor extreme(Binary kernel, Binary wins, const Tensor& a, const Tensor& b, const char* op) {
    Tensor out = binary_forward(kernel, a, b, op);
    if (auto node = record<ElementwiseExtremeBackward>(out, a, b)) {
        node->save_for_backward({a, b});
        node->wins = wins;
    }
    return out;
}

// A side's constant weight, not recorded: 1 - [it lost] - ½[a = b]. Where neither lost, as with a
// NaN on either side, it is 1 for both, as in PyTorch.
Tensor share(Binary lost, const Tensor& a, const Tensor& b) {
    Tensor w = binary_forward(lost, a, b, "maximum");
    Tensor tie = binary_forward(Binary::Eq, a, b, "maximum");
    ops_detail::unary_into(kernels::Unary::Affine, tie, tie, 0.5f, 0.0f);
    ops_detail::binary_into(Binary::Add, w, tie, w);
    ops_detail::unary_into(kernels::Unary::Affine, w, w, -1.0f, 1.0f);
    return w;
}

// out = max(a, b):  dL/da = g * (1 - [a < b] - ½[a = b]),  dL/db = g * (1 - [a > b] - ½[a = b])
std::vector<Tensor> ElementwiseExtremeBackward::apply(Tensor g) {
    const Tensor av = saved(0), bv = saved(1);
    const Binary a_lost = wins == Binary::Gt ? Binary::Lt : Binary::Gt, b_lost = wins;
    std::vector<Tensor> grads(2);
    if (needs_input_grad(0)) grads[0] = sum_to_size(mul(g, share(a_lost, av, bv)), input_shape(0));
    if (needs_input_grad(1)) grads[1] = sum_to_size(mul(g, share(b_lost, av, bv)), input_shape(1));
    return grads;
}

// The broadcast shape of all three. The message names the three shapes as the caller wrote them:
// on a failure against b, the broadcast of cond and a alone is a shape the caller never saw.
Shape where_shape(const Shape& cond, const Shape& a, const Shape& b) {
    try {
        return broadcast_shapes(broadcast_shapes(cond, a, "where"), b, "where");
    } catch (const ShapeError&) {
        throw ShapeError(descent::detail::cat("where(): cond ", cond, ", a ", a, " and b ", b,
                                              " do not broadcast"));
    }
}

}  // namespace

Tensor maximum(const Tensor& a, const Tensor& b, CallSite) {
    return extreme(Binary::Maximum, Binary::Gt, a, b, "maximum");
}
Tensor minimum(const Tensor& a, const Tensor& b, CallSite) {
    return extreme(Binary::Minimum, Binary::Lt, a, b, "minimum");
}

Tensor ops_detail::compare_forward(Binary f, const Tensor& a, const Tensor& b, const char* op) {
    check_defined(a, op, "first operand");
    check_defined(b, op, "second operand");
    Tensor out = make_tensor(broadcast_shapes(a.shape(), b.shape(), op), kBool);
    ScalarType t = promote_types(a.dtype(), b.dtype());
    if (t == kUInt8) t = kInt64;  // no uint8 kernels: compared exactly as int64
    const Tensor x = descent::detail::converted(a, t), y = descent::detail::converted(b, t);
    visit_dtype(t, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (!std::is_same_v<T, uint8_t>)
            kernels::compare(f, x.data<T>(), x.shape(), y.data<T>(), y.shape(), out.data<bool>(),
                             out.shape());
    });
    return out;
}

using ops_detail::compare_forward;
Tensor eq(const Tensor& a, const Tensor& b) { return compare_forward(Binary::Eq, a, b, "eq"); }
Tensor ne(const Tensor& a, const Tensor& b) { return compare_forward(Binary::Ne, a, b, "ne"); }
Tensor lt(const Tensor& a, const Tensor& b) { return compare_forward(Binary::Lt, a, b, "lt"); }
Tensor le(const Tensor& a, const Tensor& b) { return compare_forward(Binary::Le, a, b, "le"); }
Tensor gt(const Tensor& a, const Tensor& b) { return compare_forward(Binary::Gt, a, b, "gt"); }
Tensor ge(const Tensor& a, const Tensor& b) { return compare_forward(Binary::Ge, a, b, "ge"); }

Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }

// ---- where ----------------------------------------------------------------------------------
struct WhereBackward final : Node {
    // saved: cond
    const char* name() const override { return "WhereBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b, CallSite) {
    ops_detail::check_defined(cond, "where", "cond");
    ops_detail::check_defined(a, "where", "a");
    ops_detail::check_defined(b, "where", "b");
    const Shape shape = where_shape(cond.shape(), a.shape(), b.shape());
    const ScalarType t = promote_types(a.dtype(), b.dtype());
    Tensor out = make_tensor(shape, t);
    if (cond.dtype() == kFloat32 && t == kFloat32) {  // the float mask kernel, as before bools
        kernels::where(detail::dense(cond).data(), cond.shape(), detail::dense(a).data(), a.shape(),
                       detail::dense(b).data(), b.shape(), out.data(), out.shape());
    } else {
        const ScalarType ct = t == kUInt8 ? kInt64 : t;   // no uint8 kernel
        const Tensor c = detail::converted(cond, kBool);  // != 0, a NaN true
        const Tensor x = detail::converted(a, ct), y = detail::converted(b, ct);
        Tensor o = ct == t ? out : make_tensor(shape, ct);
        visit_dtype(ct, [&](auto tag) {
            using T = decltype(tag);
            if constexpr (!std::is_same_v<T, uint8_t>)
                kernels::where(c.data<bool>(), c.shape(), x.data<T>(), x.shape(), y.data<T>(),
                               y.shape(), o.data<T>(), o.shape());
        });
        if (!o.is_same(out)) ops_detail::detail::convert_into(o, out);
    }
    if (auto node = record<WhereBackward>(out, a, b)) node->save_for_backward({cond});
    return out;
}

// out = c ? a : b:  dL/da = c ? g : 0,  dL/db = c ? 0 : g
std::vector<Tensor> WhereBackward::apply(Tensor g) {
    const Tensor c = saved(0), zero = scalar_tensor(0.0f);
    std::vector<Tensor> grads(2);
    if (needs_input_grad(0)) grads[0] = sum_to_size(where(c, g, zero), input_shape(0));
    if (needs_input_grad(1)) grads[1] = sum_to_size(where(c, zero, g), input_shape(1));
    return grads;
}

}  // namespace descent
