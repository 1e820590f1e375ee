// Reductions over several dims, composed from recorded ops (sum_to_size, max/min along one dim,
// permute, reshape): no node of their own, so first and second derivatives come from those ops.
#include "descent/autograd/ops/reduce_dims.hpp"

#include <cmath>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/dims.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/factory.hpp"

namespace descent {

using ops_detail::Reduced;
using ops_detail::reduced_over;

namespace {

// Σ over the reduced dims (or the mean): one pass of sum_to_size to the kept shape, then a
// reshape that drops the reduced dims unless keepdim.
Tensor sum_dims(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, bool average,
                const char* op) {
    ops_detail::check_defined(a, op);
    DESCENT_CHECK(!average || a.is_floating_point(), TypeError,
                  "mean(): could not infer output dtype. Input dtype must be floating point, got ",
                  a.dtype());
    const Reduced r = reduced_over(dims, a.shape(), keepdim, op);
    // sum_to_size returns its input when nothing is summed; the result must not alias `a`.
    Tensor s = r.kept == a.shape() ? clone(a) : sum_to_size(a, r.kept);
    if (average) {  // 0/0: NaN; the scale in the input's dtype (float32 rounds 1/n as float)
        const double scale = a.dtype() == kFloat64 ? 1.0 / static_cast<double>(r.count)
                                                   : 1.0f / static_cast<float>(r.count);
        s = mul(s, scalar_tensor(scale, a.dtype()));
    }
    return reshape(s, r.out);
}

enum class Extreme { Max, Min };

// amax / amin: the reduced dims moved last and flattened into one, then max / min along it, whose
// backward splits the gradient evenly among the ties of each block.
Tensor extreme_dims(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, Extreme which,
                    const char* op) {
    ops_detail::check_defined(a, op);
    const Reduced r = reduced_over(dims, a.shape(), keepdim, op);
    DESCENT_CHECK(r.count > 0, ValueError, op, "(): cannot reduce over an empty dim of shape ",
                  a.shape(), " (dims ", Shape(dims.begin(), dims.end()), ")");
    std::vector<int64_t> order;  // the dims that stay, in order, then the reduced ones
    Shape front;
    for (size_t d = 0; d < r.is_reduced.size(); ++d)
        if (!r.is_reduced[d]) order.push_back(static_cast<int64_t>(d)), front.push_back(a.size(d));
    for (size_t d = 0; d < r.is_reduced.size(); ++d)
        if (r.is_reduced[d]) order.push_back(static_cast<int64_t>(d));
    front.push_back(r.count);
    const Tensor moved = a.dim() == 0 ? a : reshape(permute(a, order), front);
    const Tensor m = which == Extreme::Max ? detail::max_values(moved, -1, false)
                                           : detail::min_values(moved, -1, false);
    return reshape(m, r.out);
}

// var = Σ (a - mean)² / max(0, n - correction) over the reduced dims.
Tensor var_dims(const Tensor& a, const std::vector<int64_t>& dims, int64_t correction, bool keepdim,
                const char* op) {
    ops_detail::check_defined(a, op);
    const Reduced r = reduced_over(dims, a.shape(), keepdim, op);
    const Tensor centered = sub(a, sum_dims(a, dims, true, true, op));
    const Tensor s = sum_dims(mul(centered, centered), dims, keepdim, false, op);
    const double denom = static_cast<double>(std::max<int64_t>(0, r.count - correction));
    return div(s, scalar_tensor(denom, a.dtype()));
}

}  // namespace

Tensor sum(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, CallSite) {
    return sum_dims(a, dims, keepdim, false, "sum");
}
Tensor mean(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, CallSite) {
    return sum_dims(a, dims, keepdim, true, "mean");
}

Tensor amax(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, CallSite) {
    return extreme_dims(a, dims, keepdim, Extreme::Max, "amax");
}
Tensor amax(const Tensor& a, int64_t dim, bool keepdim, CallSite) {
    return extreme_dims(a, {dim}, keepdim, Extreme::Max, "amax");
}
Tensor amin(const Tensor& a, const std::vector<int64_t>& dims, bool keepdim, CallSite) {
    return extreme_dims(a, dims, keepdim, Extreme::Min, "amin");
}
Tensor amin(const Tensor& a, int64_t dim, bool keepdim, CallSite) {
    return extreme_dims(a, {dim}, keepdim, Extreme::Min, "amin");
}

Tensor var(const Tensor& a, const std::vector<int64_t>& dims, int64_t correction, bool keepdim,
           CallSite) {
    return var_dims(a, dims, correction, keepdim, "var");
}
Tensor var(const Tensor& a, std::nullopt_t, int64_t correction, bool keepdim, CallSite) {
    return var_dims(a, {}, correction, keepdim, "var");
}
Tensor var(const Tensor& a, int64_t dim, int correction, bool keepdim, CallSite) {
    return var_dims(a, {dim}, correction, keepdim, "var");
}
Tensor var(const Tensor& a, int dim, int correction, bool keepdim, CallSite) {
    return var_dims(a, {dim}, correction, keepdim, "var");
}

// std = √var: its gradient is var's times 1 / (2 std), infinite where std is 0, as PyTorch's.
Tensor std(const Tensor& a, bool unbiased, CallSite) {
    return sqrt(var_dims(a, {}, unbiased ? 1 : 0, false, "std"));
}
Tensor std(const Tensor& a, int64_t dim, bool unbiased, bool keepdim, CallSite) {
    return sqrt(var_dims(a, {dim}, unbiased ? 1 : 0, keepdim, "std"));
}
Tensor std(const Tensor& a, int dim, bool unbiased, bool keepdim, CallSite) {
    return sqrt(var_dims(a, {dim}, unbiased ? 1 : 0, keepdim, "std"));
}
Tensor std(const Tensor& a, const std::vector<int64_t>& dims, int64_t correction, bool keepdim,
           CallSite) {
    return sqrt(var_dims(a, dims, correction, keepdim, "std"));
}
Tensor std(const Tensor& a, std::nullopt_t, int64_t correction, bool keepdim, CallSite) {
    return sqrt(var_dims(a, {}, correction, keepdim, "std"));
}
Tensor std(const Tensor& a, int64_t dim, int correction, bool keepdim, CallSite) {
    return sqrt(var_dims(a, {dim}, correction, keepdim, "std"));
}
Tensor std(const Tensor& a, int dim, int correction, bool keepdim, CallSite) {
    return sqrt(var_dims(a, {dim}, correction, keepdim, "std"));
}

}  // namespace descent
