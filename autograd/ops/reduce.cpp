// Forward and backward of the reductions, side by side. A reduction's backward
// spreads the incoming gradient back over the reduced dims with expand, the
// adjoint of summing.
#include "descent/autograd/ops/reduce.hpp"

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/gather.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/reduce.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

namespace {

// The shape with `dim` kept as size 1: how g is reshaped to broadcast back over
// the input. For a reduction over all elements, every dim becomes 1.
Shape kept_shape(const Shape& in, int64_t dim, bool all) {
    Shape kept = in;
    for (size_t d = 0; d < kept.size(); ++d)
        if (all || static_cast<int64_t>(d) == dim) kept[d] = 1;
    return kept;
}

// What a reduction runs over: every element (all), or one dim, kept as size 1
// or dropped.
struct Over {
    int64_t dim = 0;
    bool keepdim = false;
    bool all = false;
    static Over everything() { return {/*dim=*/0, /*keepdim=*/false, /*all=*/true}; }
    static Over one(int64_t dim, bool keepdim) { return {dim, keepdim, false}; }
};

enum class Average { No, Yes };  // sum or mean
enum class Pick { Max, Min };

// ---- sum, mean
// ------------------------------------------------------------------------------
struct SumBackward final : Node {
    Shape kept;         // the output's shape with the reduced dims kept as 1
    double scale = 1;   // 1 for sum, 1/n for mean (the float32 value for a float32 input)
    bool mean = false;  // named apart from scale: a mean over one element has scale 1 too
    const char* name() const override { return mean ? "MeanBackward" : "SumBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor sum_impl(const Tensor& a, Over over, Average average, const char* op) {
    int64_t dim = over.dim;
    const bool keepdim = over.keepdim, all = over.all, mean = average == Average::Yes;
    ops_detail::check_defined(a, op);
    // As PyTorch: a floating sum keeps the dtype, an integer or bool sum is int64, and a mean
    // needs a floating input.
    const ScalarType in = a.dtype();
    DESCENT_CHECK(!mean || is_floating_point(in), TypeError,
                  "mean(): could not infer output dtype. Input dtype must be floating point, got ",
                  in);
    if (!all) dim = normalize_dim(dim, a.shape(), op);
    const Shape kept = kept_shape(a.shape(), dim, all);
    Tensor acc = make_tensor(kept, is_floating_point(in) ? in : kInt64);
    const int64_t n = a.numel() / std::max<int64_t>(1, acc.numel());
    double scale = 1.0;
    if (in == kFloat32) {
        kernels::sum_to(detail::dense(a).data(), a.shape(), acc.data(), acc.shape());
        if (mean) {
            const float s = 1.0f / static_cast<float>(n);
            ops_detail::unary_into(kernels::Unary::Affine, acc, acc, s);
            scale = s;
        }
    } else if (in == kFloat64) {
        kernels::sum_to(detail::dense(a).data<double>(), a.shape(), acc.data<double>(),
                        acc.shape());
        if (mean) {
            scale = 1.0 / static_cast<double>(n);
            kernels::unary(kernels::Unary::Affine, acc.data<double>(), acc.numel(),
                           acc.data<double>(), scale);
        }
    } else {
        kernels::sum_to(ops_detail::as_dtype(detail::dense(a), kInt64).data<int64_t>(), a.shape(),
                        acc.data<int64_t>(), acc.shape());
    }
    const Shape out_shape =
        all ? (keepdim ? kept : Shape{}) : reduced_shape(a.shape(), dim, keepdim);
    Tensor out = make_view(acc, 0, out_shape);
    if (auto node = record<SumBackward>(out, a)) {
        node->kept = kept;
        node->scale = scale;
        node->mean = mean;
    }
    return out;
}

// out = Σ a (or the mean):  dL/da = g (or g / n), broadcast over the reduced
// dims
std::vector<Tensor> SumBackward::apply(Tensor g) {
    Tensor spread = expand(reshape(g, kept), input_shape(0));
    return {scale == 1.0 ? spread : mul(spread, scalar_tensor(scale, g.dtype()))};
}

// ---- max, min
// -------------------------------------------------------------------------------
struct ExtremeBackward final : Node {
    // saved: a, out (over all elements); along a dim, `index` (kept shape) instead
    Shape kept;
    bool is_max = true;
    int64_t dim = 0;
    Tensor index;
    const char* name() const override { return is_max ? "MaxBackward" : "MinBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor extreme_impl(const Tensor& a, Over over, Pick pick, const char* op) {
    int64_t dim = over.dim;
    const bool keepdim = over.keepdim, all = over.all, is_max = pick == Pick::Max;
    ops_detail::check_defined(a, op);
    if (!all) dim = normalize_dim(dim, a.shape(), op);
    const kernels::Axis axis =
        all ? kernels::Axis{1, a.numel(), 1} : kernels::split_at(a.shape(), dim);
    DESCENT_CHECK(axis.n > 0, ValueError, op, "(): cannot reduce over an empty dim of shape ",
                  a.shape());
    DESCENT_CHECK(a.dtype() != kBool && a.dtype() != kUInt8, TypeError, op,
                  "(): expected a floating or int64 tensor, got ", a.dtype());
    const Shape kept = kept_shape(a.shape(), dim, all);
    Tensor acc = make_tensor(kept, a.dtype());
    const Tensor ad = detail::dense(a);
    visit_dtype(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> ||
                      std::is_same_v<T, int64_t>) {
            is_max ? kernels::max_along(ad.data<T>(), axis, acc.data<T>())
                   : kernels::min_along(ad.data<T>(), axis, acc.data<T>());
        }
    });
    const Shape out_shape =
        all ? (keepdim ? kept : Shape{}) : reduced_shape(a.shape(), dim, keepdim);
    Tensor out = make_view(acc, 0, out_shape);
    if (auto node = record<ExtremeBackward>(out, a)) {
        node->save_for_backward({a, out});
        node->kept = kept;
        node->is_max = is_max;
    }
    return out;
}

// out = max a (or min a):  dL/da = g * [a = out] / #ties, broadcast over the reduced dims (a NaN
// max is "equal" to the NaNs, so they take the gradient, as torch.max); along a dim, g goes to the
// returned indices: scatter_add(zeros, dim, index, g)
std::vector<Tensor> ExtremeBackward::apply(Tensor g) {
    if (index.defined())
        return {scatter_add(zeros(input_shape(0), g.options()), dim, index, reshape(g, kept))};
    const Tensor av = saved(0);
    Tensor hit = make_tensor(av.shape(), av.dtype());  // constant 0/1 mask of the extreme positions
    Tensor ties = make_tensor(kept, av.dtype());
    ops_detail::visit_floating(av.dtype(), name(), [&](auto tag) {
        using T = decltype(tag);
        const Tensor out = detail::dense(saved(1).detach());
        kernels::binary(kernels::Binary::Same, detail::dense(av).data<T>(), av.shape(),
                        out.data<T>(), kept, hit.data<T>(), hit.shape());
        kernels::sum_to(hit.data<T>(), hit.shape(), ties.data<T>(), ties.shape());
        kernels::binary(kernels::Binary::Div, hit.data<T>(), hit.shape(), ties.data<T>(), kept,
                        hit.data<T>(), hit.shape());
    });
    return {mul(expand(reshape(g, kept), av.shape()), hit)};
}

Tensor arg_impl(const Tensor& a, std::optional<int64_t> dim_opt, bool keepdim, Pick pick,
                const char* op) {
    const bool all = !dim_opt.has_value(), is_max = pick == Pick::Max;
    ops_detail::check_defined(a, op);
    DESCENT_CHECK(a.dtype() != kBool, TypeError, op, "(): not defined for bool tensors");
    const int64_t dim = all ? 0 : normalize_dim(*dim_opt, a.shape(), op);
    const kernels::Axis axis =
        all ? kernels::Axis{1, a.numel(), 1} : kernels::split_at(a.shape(), dim);
    DESCENT_CHECK(axis.n > 0, ValueError, op, "(): cannot reduce over an empty dim of shape ",
                  a.shape());
    const Shape kept = kept_shape(a.shape(), dim, all);
    Tensor index = make_tensor(
        all ? (keepdim ? kept : Shape{}) : reduced_shape(a.shape(), dim, keepdim), kInt64);
    // uint8 is read as int64 (the kernels take float, double and int64); a NaN wins, as torch.
    const Tensor ad = detail::converted(a, a.dtype() == kUInt8 ? kInt64 : a.dtype());
    visit_dtype(ad.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> ||
                      std::is_same_v<T, int64_t>) {
            is_max ? kernels::argmax_along(ad.data<T>(), axis, index.data<int64_t>())
                   : kernels::argmin_along(ad.data<T>(), axis, index.data<int64_t>());
        }
    });
    return index;
}

// max / min along a dim: the arg indices, and the values gathered at them (so the gradient is
// gather's: g placed at the returned positions, and twice differentiable).
std::tuple<Tensor, Tensor> extreme_dim(const Tensor& a, int64_t dim, bool keepdim, Pick pick,
                                       const char* op) {
    ops_detail::check_defined(a, op);
    const int64_t d = normalize_dim(dim, a.shape(), op);
    Tensor index = arg_impl(a, d, /*keepdim=*/true, pick, op);
    const Shape out_shape = reduced_shape(a.shape(), d, keepdim);
    Tensor values;
    {
        autograd::NoGradGuard no_grad;  // recorded below as this op's node
        values = reshape(gather(a, d, index), out_shape);
    }
    if (auto node = record<ExtremeBackward>(values, a)) {
        node->kept = index.shape();
        node->is_max = pick == Pick::Max;
        node->dim = d;
        node->index = index;
    }
    return {values, keepdim ? index : reshape(index, out_shape)};
}

Tensor var_impl(const Tensor& a, Over over, bool unbiased) {
    int64_t dim = over.dim;
    const bool keepdim = over.keepdim, all = over.all;
    ops_detail::check_defined(a, "var");
    DESCENT_CHECK(a.is_floating_point(), TypeError, "var(): expected a floating tensor, got ",
                  a.dtype());
    // Normalised here, before mean() sees it, so that a bad dim is reported as
    // var()'s.
    if (!all) dim = normalize_dim(dim, a.shape(), "var");
    // var = Σ (a - mean)² / (n - correction), composed from recorded ops: its
    // gradient is theirs.
    const Tensor centered = all ? sub(a, mean(a)) : sub(a, mean(a, dim, true));
    const Tensor sq = mul(centered, centered);
    // A 0-d tensor has no dims to index: its one element is the whole dim 0 (or
    // -1).
    const int64_t n = all || a.dim() == 0 ? a.numel() : a.shape()[dim];
    const double denom = static_cast<double>(n - (unbiased ? 1 : 0));
    Tensor s = all ? sum(sq) : sum(sq, dim, keepdim);
    return div(s, scalar_tensor(denom, a.dtype()));
}

}  // namespace

Tensor sum(const Tensor& a, CallSite) {
    return sum_impl(a, Over::everything(), Average::No, "sum");
}
Tensor sum(const Tensor& a, int64_t dim, bool keepdim, CallSite) {
    return sum_impl(a, Over::one(dim, keepdim), Average::No, "sum");
}
Tensor mean(const Tensor& a, CallSite) {
    return sum_impl(a, Over::everything(), Average::Yes, "mean");
}
Tensor mean(const Tensor& a, int64_t dim, bool keepdim, CallSite) {
    return sum_impl(a, Over::one(dim, keepdim), Average::Yes, "mean");
}
Tensor max(const Tensor& a, CallSite) {
    return extreme_impl(a, Over::everything(), Pick::Max, "max");
}
std::tuple<Tensor, Tensor> max(const Tensor& a, int64_t dim, bool keepdim, CallSite) {
    return extreme_dim(a, dim, keepdim, Pick::Max, "max");
}
Tensor detail::max_values(const Tensor& a, int64_t dim, bool keepdim) {
    return extreme_impl(a, Over::one(dim, keepdim), Pick::Max, "max");
}
Tensor detail::min_values(const Tensor& a, int64_t dim, bool keepdim) {
    return extreme_impl(a, Over::one(dim, keepdim), Pick::Min, "min");
}
Tensor min(const Tensor& a, CallSite) {
    return extreme_impl(a, Over::everything(), Pick::Min, "min");
}
std::tuple<Tensor, Tensor> min(const Tensor& a, int64_t dim, bool keepdim, CallSite) {
    return extreme_dim(a, dim, keepdim, Pick::Min, "min");
}
Tensor var(const Tensor& a, bool unbiased, CallSite) {
    return var_impl(a, Over::everything(), unbiased);
}
Tensor var(const Tensor& a, int64_t dim, bool unbiased, bool keepdim, CallSite) {
    return var_impl(a, Over::one(dim, keepdim), unbiased);
}
Tensor var(const Tensor& a, int dim, bool unbiased, bool keepdim, CallSite) {
    return var_impl(a, Over::one(dim, keepdim), unbiased);
}

Tensor argmax(const Tensor& a, std::optional<int64_t> dim, bool keepdim, CallSite) {
    return arg_impl(a, dim, keepdim, Pick::Max, "argmax");
}
Tensor argmin(const Tensor& a, std::optional<int64_t> dim, bool keepdim, CallSite) {
    return arg_impl(a, dim, keepdim, Pick::Min, "argmin");
}

// ---- sum_to_size
// ----------------------------------------------------------------------------
struct SumToBackward final : Node {
    const char* name() const override { return "SumToSizeBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor sum_to_size(const Tensor& a, const Shape& shape, CallSite) {
    ops_detail::check_defined(a, "sum_to_size");
    if (a.shape() == shape) return a;
    DESCENT_CHECK(shape.size() <= a.shape().size() &&
                      broadcast_shapes(shape, a.shape(), "sum_to_size") == a.shape(),
                  ShapeError, "sum_to_size(): shape ", shape,
                  " does not broadcast to the tensor's shape ", a.shape());
    Tensor out = ops_detail::visit_floating(a.dtype(), "sum_to_size", [&](auto tag) {
        using T = decltype(tag);
        Tensor o = make_tensor(shape, a.dtype());
        kernels::sum_to(detail::dense(a).data<T>(), a.shape(), o.data<T>(), o.shape());
        return o;
    });
    record<SumToBackward>(out, a);
    return out;
}

// out = a summed over broadcast dims:  dL/da = g broadcast back to a's shape
std::vector<Tensor> SumToBackward::apply(Tensor g) { return {expand(g, input_shape(0))}; }

}  // namespace descent
