// Forward and backward of cumsum, cumprod and prod, side by side. The kernels walk a tensor as
// (outer, n, inner) around the dim (kernels::Axis). Product gradients use products of the other
// entries, never out / a, so they stay right where entries are 0.
#include "descent/autograd/ops/scan.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/reorder.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/reduce.hpp"

namespace descent {

using autograd::GradMode;
using autograd::Node;
using autograd::detail::record;
using kernels::Axis;

namespace {

// The (outer, n, inner) walk of `dim` (already normalised); a 0-d tensor is one element.
Axis axis_of(const Tensor& a, int64_t dim) {
    return a.dim() == 0 ? Axis{1, 1, 1} : kernels::split_at(a.shape(), dim);
}

// x, y: (outer, n, inner);  y[o, i, k] = Σ_{j≤i} x[o, j, k]  (y may not be x)
template <class T>
void cumsum_kernel(const T* x, Axis ax, T* y) {
    for (int64_t o = 0; o < ax.outer; ++o) {
        const T* xo = x + o * ax.n * ax.inner;
        T* yo = y + o * ax.n * ax.inner;
        for (int64_t k = 0; k < ax.inner; ++k) yo[k] = ax.n > 0 ? xo[k] : T(0);
        for (int64_t i = 1; i < ax.n; ++i)
            for (int64_t k = 0; k < ax.inner; ++k)
                yo[i * ax.inner + k] = yo[(i - 1) * ax.inner + k] + xo[i * ax.inner + k];
    }
}

// x, y: (outer, n, inner);  y[o, i, k] = Π_{j≤i} x[o, j, k]
template <class T>
void cumprod_kernel(const T* x, Axis ax, T* y) {
    for (int64_t o = 0; o < ax.outer; ++o) {
        const T* xo = x + o * ax.n * ax.inner;
        T* yo = y + o * ax.n * ax.inner;
        for (int64_t k = 0; k < ax.inner; ++k) yo[k] = ax.n > 0 ? xo[k] : T(0);
        for (int64_t i = 1; i < ax.n; ++i)
            for (int64_t k = 0; k < ax.inner; ++k)
                yo[i * ax.inner + k] = yo[(i - 1) * ax.inner + k] * xo[i * ax.inner + k];
    }
}

// a, g, da: (outer, n, inner);  da_k = Π_{j<k} a_j · S_k with S_k = g_k + a_{k+1} S_{k+1}, i.e.
// Σ_{i≥k} g_i Π_{j≤i, j≠k} a_j in O(n) and without a division.
template <class T>
void cumprod_backward_kernel(const T* a, const T* g, Axis ax, T* da) {
    const int64_t in = ax.inner;
    for (int64_t o = 0; o < ax.outer; ++o) {
        const T *ao = a + o * ax.n * in, *go = g + o * ax.n * in;
        T* d = da + o * ax.n * in;
        for (int64_t k = 0; k < in; ++k) {
            T s = 0;
            for (int64_t i = ax.n - 1; i >= 0; --i) {
                s = go[i * in + k] + (i + 1 < ax.n ? ao[(i + 1) * in + k] * s : T(0));
                d[i * in + k] = s;
            }
            T left = 1;
            for (int64_t i = 0; i < ax.n; ++i) {
                d[i * in + k] *= left;
                left *= ao[i * in + k];
            }
        }
    }
}

// x: (outer, n, inner) -> y: (outer, inner);  y = Π over the n axis (1 when n = 0)
template <class T>
void prod_kernel(const T* x, Axis ax, T* y) {
    for (int64_t o = 0; o < ax.outer; ++o) {
        T* yo = y + o * ax.inner;
        for (int64_t k = 0; k < ax.inner; ++k) yo[k] = T(1);
        for (int64_t i = 0; i < ax.n; ++i)
            for (int64_t k = 0; k < ax.inner; ++k) yo[k] *= x[(o * ax.n + i) * ax.inner + k];
    }
}

// Π_{j<k} a_j along `dim` (exclusive running product), from recorded ops.
Tensor exclusive_cumprod(const Tensor& a, int64_t dim) {
    const int64_t n = a.size(dim);
    Shape one = a.shape();
    one[dim] = 1;
    if (n <= 1) return ones(a.shape(), a.dtype());
    return cat({ones(one, a.dtype()), narrow(cumprod(a, dim), dim, 0, n - 1)}, dim);
}

}  // namespace

// ---- cumsum -----------------------------------------------------------------------------------
struct CumsumBackward final : Node {
    int64_t dim = 0;
    const char* name() const override { return "CumsumBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor cumsum(const Tensor& a, int64_t dim, CallSite) {
    ops_detail::check_defined(a, "cumsum");
    dim = normalize_dim(dim, a.shape(), "cumsum");
    Tensor out = make_tensor(a.shape(), a.dtype());
    ops_detail::visit_floating(a.dtype(), "cumsum", [&](auto tag) {
        using T = decltype(tag);
        cumsum_kernel(descent::detail::dense(a).data<T>(), axis_of(a, dim), out.data<T>());
    });
    if (auto node = record<CumsumBackward>(out, a)) node->dim = dim;
    return out;
}

// out_i = Σ_{j≤i} a_j:  dL/da_k = Σ_{i≥k} g_i, the cumsum of g from the end
std::vector<Tensor> CumsumBackward::apply(Tensor g) {
    if (g.dim() == 0) return {g};
    return {flip(cumsum(flip(g, {dim}), dim), {dim})};
}

// ---- cumprod ----------------------------------------------------------------------------------
struct CumprodBackward final : Node {
    // saved: a
    int64_t dim = 0;
    const char* name() const override { return "CumprodBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor cumprod(const Tensor& a, int64_t dim, CallSite) {
    ops_detail::check_defined(a, "cumprod");
    dim = normalize_dim(dim, a.shape(), "cumprod");
    Tensor out = make_tensor(a.shape(), a.dtype());
    ops_detail::visit_floating(a.dtype(), "cumprod", [&](auto tag) {
        using T = decltype(tag);
        cumprod_kernel(descent::detail::dense(a).data<T>(), axis_of(a, dim), out.data<T>());
    });
    if (auto node = record<CumprodBackward>(out, a)) {
        node->save_for_backward({a});
        node->dim = dim;
    }
    return out;
}

namespace {

// The same gradient from recorded ops, for create_graph: with the dim moved last, as (..., n),
// M[k, i] = [i ≥ k] Π_{k<j≤i} a_j is built as an (..., n, n) tensor (O(n²) memory) and
// dL/da_k = Π_{j<k} a_j · Σ_i M[k, i] g_i.
Tensor cumprod_grad_recorded(const Tensor& a, const Tensor& g, int64_t dim) {
    const int64_t last = a.dim() - 1;
    const Tensor at = dim == last ? a : transpose(a, dim, last);
    const Tensor gt = dim == last ? g : transpose(g, dim, last);
    const int64_t n = at.size(-1);
    Tensor at_or_before = make_tensor({n, n}), at_or_after = make_tensor({n, n});  // float masks
    for (int64_t k = 0; k < n; ++k)
        for (int64_t j = 0; j < n; ++j) {
            at_or_before.data()[k * n + j] = j <= k ? 1.0f : 0.0f;
            at_or_after.data()[k * n + j] = j >= k ? 1.0f : 0.0f;
        }
    Shape square = at.shape();
    square.insert(square.end() - 1, n);
    const Tensor rows = expand(unsqueeze(at, -2), square);  // rows[..., k, j] = a_j
    const Tensor after_k = cumprod(where(at_or_before, scalar_tensor(1.0, a.dtype()), rows), -1);
    const Tensor m = where(at_or_after, after_k, scalar_tensor(0.0, a.dtype()));
    const Tensor s = sum(mul(m, unsqueeze(gt, -2)), -1);
    const Tensor da = mul(exclusive_cumprod(at, last), s);
    return dim == last ? da : transpose(da, dim, last);
}

}  // namespace

// out_i = Π_{j≤i} a_j:  dL/da_k = Σ_{i≥k} g_i Π_{j≤i, j≠k} a_j  (no division: right with zeros)
std::vector<Tensor> CumprodBackward::apply(Tensor g) {
    const Tensor a = saved(0);
    if (a.numel() == 0 || a.dim() == 0) return {g};
    if (GradMode::is_enabled()) return {cumprod_grad_recorded(a, g, dim)};
    Tensor da = make_tensor(a.shape(), a.dtype());
    ops_detail::visit_floating(a.dtype(), "cumprod", [&](auto tag) {
        using T = decltype(tag);
        const Tensor gd = ops_detail::as_dtype(descent::detail::dense(g), a.dtype());
        cumprod_backward_kernel(descent::detail::dense(a).data<T>(), gd.data<T>(), axis_of(a, dim),
                                da.data<T>());
    });
    return {da};
}

// ---- prod -------------------------------------------------------------------------------------
struct ProdBackward final : Node {
    // saved: a
    int64_t dim = 0;  // of a, or of a flattened when all
    bool all = false;
    Shape kept;  // the output's shape with the reduced dim(s) kept as 1
    const char* name() const override { return "ProdBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

namespace {

Tensor prod_impl(const Tensor& a, int64_t dim, bool keepdim, bool all) {
    ops_detail::check_defined(a, "prod");
    if (!all) dim = normalize_dim(dim, a.shape(), "prod");
    Shape kept = a.shape();
    for (size_t d = 0; d < kept.size(); ++d)
        if (all || static_cast<int64_t>(d) == dim) kept[d] = 1;
    const Shape out_shape =
        all ? (keepdim ? kept : Shape{}) : reduced_shape(a.shape(), dim, keepdim);
    Tensor out = make_tensor(out_shape, a.dtype());
    ops_detail::visit_floating(a.dtype(), "prod", [&](auto tag) {
        using T = decltype(tag);
        prod_kernel(descent::detail::dense(a).data<T>(),
                    all ? Axis{1, a.numel(), 1} : axis_of(a, dim), out.data<T>());
    });
    if (auto node = record<ProdBackward>(out, a)) {
        node->save_for_backward({a});
        node->dim = all ? 0 : dim;
        node->all = all;
        node->kept = kept;
    }
    return out;
}

}  // namespace

Tensor prod(const Tensor& a, CallSite) { return prod_impl(a, 0, false, true); }
Tensor prod(const Tensor& a, int64_t dim, bool keepdim, CallSite) {
    return prod_impl(a, dim, keepdim, false);
}

// out = Π a:  dL/da_k = g · Π_{j<k} a_j · Π_{j>k} a_j  (exclusive cumprods from both ends)
std::vector<Tensor> ProdBackward::apply(Tensor g) {
    const Tensor a = saved(0);
    if (a.numel() == 0) return {zeros(a.shape(), a.dtype())};
    const Tensor x = all || a.dim() == 0 ? reshape(a, {a.numel()}) : a;
    const Tensor others =
        mul(exclusive_cumprod(x, dim), flip(exclusive_cumprod(flip(x, {dim}), dim), {dim}));
    const Tensor spread = all || a.dim() == 0 ? reshape(g, {1}) : reshape(g, kept);
    return {reshape(mul(others, spread), a.shape())};
}

}  // namespace descent
