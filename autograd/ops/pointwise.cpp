// Forward and backward of the pointwise ops of pointwise.hpp, side by side. The kernels are plain
// loops over contiguous buffers (operands of another shape are first broadcast into one); lerp is
// composed from arithmetic and where.
#include "descent/autograd/ops/pointwise.hpp"

#include <cmath>
#include <limits>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/logical.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;
using kernels::Binary;

namespace {

// t's values broadcast to `shape` as `dtype` (float32, float64, int64 or bool), contiguous: t
// itself when it already is all three.
Tensor broadcast_values(const Tensor& t, const Shape& shape, ScalarType dtype = kFloat32) {
    const Tensor d = descent::detail::converted(t, dtype);
    if (t.shape() == shape) return d;
    Tensor out = make_tensor(shape, dtype);
    visit_dtype(dtype, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (!std::is_same_v<T, uint8_t>)
            kernels::broadcast_copy(d.data<T>(), t.shape(), out.data<T>(), shape);
    });
    return out;
}

// The dtype of float math on operands of dtype t: floating stays, integers read as float32.
ScalarType float_math(ScalarType t) { return is_floating_point(t) ? t : kFloat32; }

}  // namespace

// ---- clamp with tensor bounds -----------------------------------------------------------------
struct ClampTensorBackward final : Node {
    // saved: a, then min and max if given
    bool has_min = false, has_max = false;
    const char* name() const override { return "ClampTensorBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor clamp(const Tensor& a, const std::optional<Tensor>& min, const std::optional<Tensor>& max,
             CallSite) {
    ops_detail::check_defined(a, "clamp");
    DESCENT_CHECK(min || max, ValueError, "clamp(): at least one of min and max must be given");
    if (min) ops_detail::check_defined(*min, "clamp", "min");
    if (max) ops_detail::check_defined(*max, "clamp", "max");
    Shape shape = a.shape();
    if (min) shape = broadcast_shapes(shape, min->shape(), "clamp");
    if (max) shape = broadcast_shapes(shape, max->shape(), "clamp");
    // out (shape) = a broadcast, then max(out, min), then min(out, max): NaN anywhere stays NaN.
    ScalarType t = a.dtype();
    if (min) t = promote_types(t, min->dtype());
    if (max) t = promote_types(t, max->dtype());
    if (t == kUInt8 || t == kBool) t = kInt64;
    Tensor out = broadcast_values(a, shape, t);
    if (out.is_same(a)) out = a.clone();
    if (min) ops_detail::binary_into(Binary::Maximum, out, *min, out);
    if (max) ops_detail::binary_into(Binary::Minimum, out, *max, out);
    std::shared_ptr<ClampTensorBackward> node;
    if (min && max)
        node = record<ClampTensorBackward>(out, a, *min, *max);
    else if (min)
        node = record<ClampTensorBackward>(out, a, *min);
    else
        node = record<ClampTensorBackward>(out, a, *max);
    if (node) {
        node->has_min = min.has_value();
        node->has_max = max.has_value();
        std::vector<Tensor> keep{a};
        if (min) keep.push_back(*min);
        if (max) keep.push_back(*max);
        node->save_for_backward(keep);
    }
    return out;
}

// out = clamp(a, lo, hi):  dL/da = g [lo <= a <= hi],  dL/dlo = g [a < lo],  dL/dhi = g [a > hi]
std::vector<Tensor> ClampTensorBackward::apply(Tensor g) {
    const Tensor a = saved(0);
    const Tensor lo = has_min ? saved(1) : Tensor(),
                 hi = has_max ? saved(has_min ? 2 : 1) : Tensor();
    std::vector<Tensor> grads(next_edges().size());
    Tensor inside;  // the constant 0/1 mask [lo <= a <= hi]
    if (lo.defined() && hi.defined())
        inside = mul(ge(a, lo), le(a, hi));
    else
        inside = lo.defined() ? ge(a, lo) : le(a, hi);
    if (needs_input_grad(0)) grads[0] = sum_to_size(mul(g, inside), input_shape(0));
    size_t next = 1;
    if (lo.defined()) {
        if (needs_input_grad(next)) grads[next] = sum_to_size(mul(g, lt(a, lo)), input_shape(next));
        ++next;
    }
    if (hi.defined() && needs_input_grad(next))
        grads[next] = sum_to_size(mul(g, gt(a, hi)), input_shape(next));
    return grads;
}

Tensor clamp(const Tensor& a, std::optional<float> min, std::optional<float> max, CallSite) {
    DESCENT_CHECK(min || max, ValueError, "clamp(): at least one of min and max must be given");
    const float inf = std::numeric_limits<float>::infinity();
    return clamp(a, min.value_or(-inf), max.value_or(inf));
}

// ---- lerp -------------------------------------------------------------------------------------
// a + w (b - a) below w = 0.5, b - (b - a)(1 - w) from it: composed, so the gradients are
// dL/da = g (1 - w), dL/db = g w, dL/dw = g (b - a) through arithmetic's nodes.
Tensor lerp(const Tensor& a, const Tensor& b, float weight, CallSite) {
    ops_detail::check_defined(a, "lerp", "input");
    ops_detail::check_defined(b, "lerp", "end");
    broadcast_shapes(a.shape(), b.shape(), "lerp");
    const Tensor diff = sub(b, a);
    if (weight < 0.5f) return add(a, mul(diff, scalar_tensor(weight)));
    return sub(b, mul(diff, scalar_tensor(1.0f - weight)));
}

Tensor lerp(const Tensor& a, const Tensor& b, const Tensor& weight, CallSite) {
    ops_detail::check_defined(a, "lerp", "input");
    ops_detail::check_defined(b, "lerp", "end");
    ops_detail::check_defined(weight, "lerp", "weight");
    broadcast_shapes(broadcast_shapes(a.shape(), b.shape(), "lerp"), weight.shape(), "lerp");
    const Tensor diff = sub(b, a);
    return where(lt(weight, scalar_tensor(0.5f)), add(a, mul(weight, diff)),
                 sub(b, mul(diff, sub(scalar_tensor(1.0f), weight))));
}

// ---- atan2 ------------------------------------------------------------------------------------
struct Atan2Backward final : Node {
    // saved: a, b
    const char* name() const override { return "Atan2Backward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor atan2(const Tensor& a, const Tensor& b, CallSite) {
    ops_detail::check_defined(a, "atan2", "input");
    ops_detail::check_defined(b, "atan2", "other");
    const Shape shape = broadcast_shapes(a.shape(), b.shape(), "atan2");
    const ScalarType t = float_math(promote_types(a.dtype(), b.dtype()));
    const Tensor y = broadcast_values(a, shape, t), x = broadcast_values(b, shape, t);
    Tensor out = make_tensor(shape, t);
    // y, x, out: (n);  out = atan2(y, x)
    visit_dtype(t, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_floating_point_v<T>) {
            const T *yp = y.data<T>(), *xp = x.data<T>();
            T* o = out.data<T>();
            for (int64_t i = 0; i < out.numel(); ++i) o[i] = std::atan2(yp[i], xp[i]);
        }
    });
    if (auto node = record<Atan2Backward>(out, a, b)) node->save_for_backward({a, b});
    return out;
}

// out = atan2(a, b):  dL/da = g * b / (a² + b²),  dL/db = -g * a / (a² + b²)
std::vector<Tensor> Atan2Backward::apply(Tensor g) {
    const Tensor a = saved(0), b = saved(1);
    const Tensor scaled = div(g, add(mul(a, a), mul(b, b)));
    std::vector<Tensor> grads(2);
    if (needs_input_grad(0)) grads[0] = sum_to_size(mul(scaled, b), input_shape(0));
    if (needs_input_grad(1)) grads[1] = sum_to_size(neg(mul(scaled, a)), input_shape(1));
    return grads;
}

// ---- floor, ceil, round, trunc ----------------------------------------------------------------
// Piecewise constant: the gradient is 0 everywhere, as PyTorch's (not undefined at the steps).
struct FloorBackward final : Node {
    const char* name() const override { return "FloorBackward"; }
    // out = floor(a):  dL/da = 0
    std::vector<Tensor> apply(Tensor) override { return {zeros(input_shape(0))}; }
};
struct CeilBackward final : Node {
    const char* name() const override { return "CeilBackward"; }
    // out = ceil(a):  dL/da = 0
    std::vector<Tensor> apply(Tensor) override { return {zeros(input_shape(0))}; }
};
struct RoundBackward final : Node {
    const char* name() const override { return "RoundBackward"; }
    // out = round(a):  dL/da = 0
    std::vector<Tensor> apply(Tensor) override { return {zeros(input_shape(0))}; }
};
struct TruncBackward final : Node {
    const char* name() const override { return "TruncBackward"; }
    // out = trunc(a):  dL/da = 0
    std::vector<Tensor> apply(Tensor) override { return {zeros(input_shape(0))}; }
};

namespace {

// a, out: (n);  out = f(a). Integers are already whole: a copy, as PyTorch.
template <class NodeT, class F>
Tensor rounding(const Tensor& a, F f, const char* op) {
    ops_detail::check_defined(a, op);
    if (!a.is_floating_point()) return a.clone();
    Tensor out = make_tensor(a.shape(), a.dtype());
    const Tensor dense = descent::detail::dense(a);
    visit_dtype(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_floating_point_v<T>) {
            const T* x = dense.data<T>();
            T* y = out.data<T>();
            for (int64_t i = 0; i < a.numel(); ++i) y[i] = f(x[i]);
        }
    });
    record<NodeT>(out, a);
    return out;
}

}  // namespace

Tensor floor(const Tensor& a, CallSite) {
    return rounding<FloorBackward>(
        a, [](auto x) { return std::floor(x); }, "floor");
}
Tensor ceil(const Tensor& a, CallSite) {
    return rounding<CeilBackward>(
        a, [](auto x) { return std::ceil(x); }, "ceil");
}
// nearbyint rounds halves to even in the default rounding mode, as torch.round.
Tensor round(const Tensor& a, CallSite) {
    return rounding<RoundBackward>(
        a, [](auto x) { return std::nearbyint(x); }, "round");
}
Tensor trunc(const Tensor& a, CallSite) {
    return rounding<TruncBackward>(
        a, [](auto x) { return std::trunc(x); }, "trunc");
}

// ---- nan_to_num -------------------------------------------------------------------------------
struct NanToNumBackward final : Node {
    // saved: a
    const char* name() const override { return "NanToNumBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor nan_to_num(const Tensor& a, std::optional<float> nan, std::optional<float> posinf,
                  std::optional<float> neginf, CallSite) {
    ops_detail::check_defined(a, "nan_to_num");
    if (!a.is_floating_point()) return a.clone();  // nothing to replace
    Tensor out = make_tensor(a.shape(), a.dtype());
    const Tensor dense = descent::detail::dense(a);
    visit_dtype(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_floating_point_v<T>) {
            // the defaults are the dtype's own largest and lowest finite values
            const T n = nan ? T(*nan) : T(0);
            const T p = posinf ? T(*posinf) : std::numeric_limits<T>::max();
            const T m = neginf ? T(*neginf) : std::numeric_limits<T>::lowest();
            // a, out: (n);  out = a, with NaN, +inf and -inf replaced
            const T* x = dense.data<T>();
            T* y = out.data<T>();
            for (int64_t i = 0; i < a.numel(); ++i)
                y[i] = std::isnan(x[i]) ? n : std::isinf(x[i]) ? (x[i] > 0 ? p : m) : x[i];
        }
    });
    if (auto node = record<NanToNumBackward>(out, a)) node->save_for_backward({a});
    return out;
}

// out = nan_to_num(a):  dL/da = g * [a is finite]
std::vector<Tensor> NanToNumBackward::apply(Tensor g) {
    return {mul(g, isfinite(saved(0)))};  // a constant bool mask: float * bool keeps g's dtype
}

}  // namespace descent
