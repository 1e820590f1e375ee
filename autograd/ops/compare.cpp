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

Tensor eq(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Eq, a, b, "eq"); }
Tensor ne(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Ne, a, b, "ne"); }
Tensor lt(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Lt, a, b, "lt"); }
Tensor le(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Le, a, b, "le"); }
Tensor gt(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Gt, a, b, "gt"); }
Tensor ge(const Tensor& a, const Tensor& b) { return binary_forward(Binary::Ge, a, b, "ge"); }

Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator==(const Tensor& a, float b) { return eq(a, scalar_tensor(b)); }
Tensor operator!=(const Tensor& a, float b) { return ne(a, scalar_tensor(b)); }
Tensor operator<(const Tensor& a, float b) { return lt(a, scalar_tensor(b)); }
Tensor operator<=(const Tensor& a, float b) { return le(a, scalar_tensor(b)); }
Tensor operator>(const Tensor& a, float b) { return gt(a, scalar_tensor(b)); }
Tensor operator>=(const Tensor& a, float b) { return ge(a, scalar_tensor(b)); }
// A scalar on the left: 0.5f < x is x > 0.5f.
Tensor operator==(float a, const Tensor& b) { return eq(scalar_tensor(a), b); }
Tensor operator!=(float a, const Tensor& b) { return ne(scalar_tensor(a), b); }
Tensor operator<(float a, const Tensor& b) { return lt(scalar_tensor(a), b); }
Tensor operator<=(float a, const Tensor& b) { return le(scalar_tensor(a), b); }
Tensor operator>(float a, const Tensor& b) { return gt(scalar_tensor(a), b); }
Tensor operator>=(float a, const Tensor& b) { return ge(scalar_tensor(a), b); }

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
    Tensor out = make_tensor(shape);
    kernels::where(detail::dense(cond).data(), cond.shape(), detail::dense(a).data(), a.shape(),
                   detail::dense(b).data(), b.shape(), out.data(), out.shape());
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
