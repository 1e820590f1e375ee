// Forward and backward of the ops that take int64 index tensors, side by side: gather and its
// adjoint scatter_add, scatter, index_select and its adjoint index_add. Each backward is built from
// these recorded ops, so second-order gradients flow. Loops run on any dtype (the element type from
// visit_dtype); shapes are read row-major from dense copies.
#include "descent/autograd/ops/gather.hpp"

#include <cstring>

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/index.hpp"
#include "descent/core/kernels/reduce.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

void detail::check_index_dtype(const Tensor& index, const char* op) {
    DESCENT_CHECK(index.dtype() == kInt64, TypeError, op,
                  "(): expected an int64 index tensor, got ", dtype_name(index.dtype()));
}

namespace {

std::vector<int64_t> row_major_strides(const Shape& s) {
    std::vector<int64_t> st(s.size(), 1);
    for (size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * s[d];
    return st;
}

// Calls f(p, coords) for every position of `shape` in row-major order.
template <class F>
void for_each_position(const Shape& shape, F f) {
    int64_t n = 1;
    for (int64_t s : shape) n *= s;
    std::vector<int64_t> c(shape.size(), 0);
    for (int64_t p = 0; p < n; ++p) {
        f(p, c);
        for (size_t d = shape.size(); d-- > 0;) {
            if (++c[d] < shape[d]) break;
            c[d] = 0;
        }
    }
}

// IndexError for the first index outside [0, n) of `dim` (size n).
void check_range(const int64_t* idx, int64_t count, int64_t n, int64_t dim, const Tensor& a,
                 const char* op) {
    for (int64_t i = 0; i < count; ++i)
        DESCENT_CHECK(idx[i] >= 0 && idx[i] < n, IndexError, op, "(): index ", idx[i],
                      " is out of range for dim ", dim, " of size ", n, " (input shape ", a.shape(),
                      ")");
}

// A fresh contiguous copy of a's values (never a itself), no autograd state.
Tensor fresh_copy(const Tensor& a) {
    const Tensor d = detail::dense(a);
    Tensor out = make_tensor(a.shape(), a.dtype());
    std::memcpy(out.impl()->first_raw(), d.impl()->first_raw(),
                static_cast<size_t>(a.numel() * a.element_size()));
    return out;
}

// gather / scatter's shape rules: index has a's number of dims, no larger than a's except along
// dim; a source has index's shape (and a's dtype).
int64_t check_scatter_args(const Tensor& a, int64_t dim, const Tensor& index, const Tensor* src,
                           const char* op) {
    ops_detail::check_defined(a, op);
    ops_detail::check_defined(index, op, "index");
    detail::check_index_dtype(index, op);
    dim = normalize_dim(dim, a.shape(), op);
    DESCENT_CHECK(index.dim() == a.dim(), ShapeError, op, "(): index of shape ", index.shape(),
                  " needs as many dims as the input of shape ", a.shape());
    for (int64_t d = 0; d < a.dim(); ++d)
        DESCENT_CHECK(d == dim || index.shape()[d] <= a.shape()[d], ShapeError, op,
                      "(): index of shape ", index.shape(), " is larger than the input of shape ",
                      a.shape(), " in dim ", d, " (dim ", dim, " excepted)");
    if (src) {
        ops_detail::check_defined(*src, op, "src");
        DESCENT_CHECK(src->shape() == index.shape(), ShapeError, op, "(): src of shape ",
                      src->shape(), " must have the index's shape ", index.shape());
        DESCENT_CHECK(src->dtype() == a.dtype(), TypeError, op, "(): src is ",
                      dtype_name(src->dtype()), " but the input is ", dtype_name(a.dtype()));
    }
    return dim;
}

enum class Write { Assign, Add };

// out (contiguous, a's shape) at index positions along dim gets src[p] (or value), set or added.
void scatter_into(Tensor& out, int64_t dim, const Tensor& index, const Tensor* src, double value,
                  Write mode) {
    const Tensor id = detail::dense(index);
    const int64_t* ip = id.data<int64_t>();
    const std::vector<int64_t> st = row_major_strides(out.shape());
    const Tensor sd = src ? detail::dense(*src) : Tensor();
    visit_dtype(out.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* dst = out.data<T>();
        const T* sp = src ? sd.data<T>() : nullptr;
        const T v = static_cast<T>(value);
        for_each_position(index.shape(), [&](int64_t p, const std::vector<int64_t>& c) {
            int64_t off = 0;
            for (size_t d = 0; d < c.size(); ++d)
                off += (static_cast<int64_t>(d) == dim ? ip[p] : c[d]) * st[d];
            const T x = sp ? sp[p] : v;
            if (mode == Write::Add)
                dst[off] = static_cast<T>(dst[off] + x);
            else
                dst[off] = x;
        });
    });
}

}  // namespace

// ---- gather ---------------------------------------------------------------------------------
struct GatherBackward final : Node {
    int64_t dim = 0;
    Tensor index;
    const char* name() const override { return "GatherBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor gather(const Tensor& a, int64_t dim, const Tensor& index, CallSite) {
    dim = check_scatter_args(a, dim, index, nullptr, "gather");
    const Tensor ad = detail::dense(a), id = detail::dense(index);
    const int64_t* ip = id.data<int64_t>();
    check_range(ip, id.numel(), a.dim() == 0 ? 1 : a.shape()[dim], dim, a, "gather");
    Tensor out = make_tensor(index.shape(), a.dtype());
    const std::vector<int64_t> st = row_major_strides(a.shape());
    visit_dtype(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* src = ad.data<T>();
        T* dst = out.data<T>();
        for_each_position(index.shape(), [&](int64_t p, const std::vector<int64_t>& c) {
            int64_t off = 0;
            for (size_t d = 0; d < c.size(); ++d)
                off += (static_cast<int64_t>(d) == dim ? ip[p] : c[d]) * st[d];
            dst[p] = src[off];
        });
    });
    if (auto node = record<GatherBackward>(out, a)) {
        node->dim = dim;
        node->index = id;
    }
    return out;
}

// out[i][j] = a[index[i][j]][j]:  dL/da = scatter_add(zeros, dim, index, g)
std::vector<Tensor> GatherBackward::apply(Tensor g) {
    return {scatter_add(zeros(input_shape(0), g.options()), dim, index, g)};
}

// ---- scatter_add ----------------------------------------------------------------------------
struct ScatterAddBackward final : Node {
    int64_t dim = 0;
    Tensor index;
    const char* name() const override { return "ScatterAddBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor scatter_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src, CallSite) {
    dim = check_scatter_args(a, dim, index, &src, "scatter_add");
    const Tensor id = detail::dense(index);
    check_range(id.data<int64_t>(), id.numel(), a.dim() == 0 ? 1 : a.shape()[dim], dim, a,
                "scatter_add");
    Tensor out = fresh_copy(a);
    scatter_into(out, dim, id, &src, 0, Write::Add);
    if (auto node = record<ScatterAddBackward>(out, a, src)) {
        node->dim = dim;
        node->index = id;
    }
    return out;
}

// out = a; out[index[i][j]][j] += src[i][j]:  dL/da = g,  dL/dsrc = gather(g, dim, index)
std::vector<Tensor> ScatterAddBackward::apply(Tensor g) { return {g, gather(g, dim, index)}; }

// ---- scatter --------------------------------------------------------------------------------
struct ScatterWriteBackward final : Node {
    int64_t dim = 0;
    Tensor index;
    bool has_src = false;
    const char* name() const override { return "ScatterWriteBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

namespace {
Tensor scatter_impl(const Tensor& a, int64_t dim, const Tensor& index, const Tensor* src,
                    double value) {
    dim = check_scatter_args(a, dim, index, src, "scatter");
    const Tensor id = detail::dense(index);
    check_range(id.data<int64_t>(), id.numel(), a.dim() == 0 ? 1 : a.shape()[dim], dim, a,
                "scatter");
    Tensor out = fresh_copy(a);
    scatter_into(out, dim, id, src, value, Write::Assign);
    std::shared_ptr<ScatterWriteBackward> node =
        src ? record<ScatterWriteBackward>(out, a, *src) : record<ScatterWriteBackward>(out, a);
    if (node) {
        node->dim = dim;
        node->index = id;
        node->has_src = src != nullptr;
    }
    return out;
}
}  // namespace

Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& src, CallSite) {
    return scatter_impl(a, dim, index, &src, 0);
}
Tensor scatter(const Tensor& a, int64_t dim, const Tensor& index, double value, CallSite) {
    return scatter_impl(a, dim, index, nullptr, value);
}

// out = a; out[index[i][j]][j] = src[i][j]:  dL/da = g with the written places 0,  dL/dsrc =
// gather(g)
std::vector<Tensor> ScatterWriteBackward::apply(Tensor g) {
    Tensor ga = scatter(g, dim, index, 0.0);
    if (!has_src) return {ga};
    return {ga, gather(g, dim, index)};
}

// ---- index_select and index_add ---------------------------------------------------------------
namespace {
// The 1-D int64 index of index_select / index_add, checked against dim `dim` of a.
Tensor checked_list(const Tensor& a, int64_t& dim, const Tensor& index, const char* op) {
    ops_detail::check_defined(a, op);
    ops_detail::check_defined(index, op, "index");
    detail::check_index_dtype(index, op);
    DESCENT_CHECK(a.dim() > 0, ShapeError, op, "(): cannot index a 0-d tensor");
    DESCENT_CHECK(index.dim() <= 1, ShapeError, op, "(): index must be 0-d or 1-d, got shape ",
                  index.shape());
    dim = normalize_dim(dim, a.shape(), op);
    const Tensor id = detail::dense(index);
    check_range(id.data<int64_t>(), id.numel(), a.shape()[dim], dim, a, op);
    return id;
}
}  // namespace

struct IndexSelectBackward final : Node {
    int64_t dim = 0;
    Tensor index;
    const char* name() const override { return "IndexSelectBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor index_select(const Tensor& a, int64_t dim, const Tensor& index, CallSite) {
    const Tensor id = checked_list(a, dim, index, "index_select");
    const kernels::Axis axis = kernels::split_at(a.shape(), dim);
    const int64_t m = id.numel();
    const int64_t* ip = id.data<int64_t>();
    Shape shape = a.shape();
    shape[dim] = m;
    Tensor out = make_tensor(shape, a.dtype());
    const Tensor ad = detail::dense(a);
    if (a.dtype() == kFloat32) {
        kernels::index_select(ad.data(), axis, ip, m, out.data());
    } else {
        visit_dtype(a.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* src = ad.data<T>();
            T* dst = out.data<T>();
            // a [outer, n, inner] -> out [outer, m, inner]
            for (int64_t o = 0; o < axis.outer; ++o)
                for (int64_t j = 0; j < m; ++j)
                    std::memcpy(dst + (o * m + j) * axis.inner,
                                src + (o * axis.n + ip[j]) * axis.inner,
                                static_cast<size_t>(axis.inner) * sizeof(T));
        });
    }
    if (auto node = record<IndexSelectBackward>(out, a)) {
        node->dim = dim;
        node->index = id;
    }
    return out;
}

// out = a[index] along dim:  dL/da = index_add(zeros, dim, index, g)
std::vector<Tensor> IndexSelectBackward::apply(Tensor g) {
    return {index_add(zeros(input_shape(0), g.options()), dim, index, g)};
}

struct IndexAddBackward final : Node {
    int64_t dim = 0;
    Tensor index;
    double alpha = 1;
    const char* name() const override { return "IndexAddBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor index_add(const Tensor& a, int64_t dim, const Tensor& index, const Tensor& source,
                 double alpha, CallSite) {
    ops_detail::check_defined(source, "index_add", "source");
    const Tensor id = checked_list(a, dim, index, "index_add");
    Shape expected = a.shape();
    expected[dim] = id.numel();
    DESCENT_CHECK(source.shape() == expected, ShapeError, "index_add(): source of shape ",
                  source.shape(), " does not match the input of shape ", a.shape(), " with dim ",
                  dim, " of size ", id.numel(), " (the index's length)");
    DESCENT_CHECK(source.dtype() == a.dtype(), TypeError, "index_add(): source is ",
                  dtype_name(source.dtype()), " but the input is ", dtype_name(a.dtype()));
    const kernels::Axis axis = kernels::split_at(a.shape(), dim);
    const int64_t m = id.numel();
    const int64_t* ip = id.data<int64_t>();
    Tensor out = fresh_copy(a);
    const Tensor sd = detail::dense(source);
    visit_dtype(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* src = sd.data<T>();
        T* dst = out.data<T>();
        // source [outer, m, inner] added into out [outer, n, inner]
        for (int64_t o = 0; o < axis.outer; ++o)
            for (int64_t j = 0; j < m; ++j) {
                T* row = dst + (o * axis.n + ip[j]) * axis.inner;
                const T* from = src + (o * m + j) * axis.inner;
                for (int64_t k = 0; k < axis.inner; ++k)
                    row[k] = alpha == 1 ? static_cast<T>(row[k] + from[k])
                                        : static_cast<T>(row[k] + alpha * from[k]);
            }
    });
    if (auto node = record<IndexAddBackward>(out, a, source)) {
        node->dim = dim;
        node->index = id;
        node->alpha = alpha;
    }
    return out;
}

// out = a; out[index[j]] += alpha·source[j]:  dL/da = g,  dL/dsource = alpha·index_select(g, index)
std::vector<Tensor> IndexAddBackward::apply(Tensor g) {
    Tensor gs = index_select(g, dim, index);
    if (alpha != 1) gs = mul(gs, scalar_tensor(alpha, gs.options()));
    return {g, gs};
}

}  // namespace descent
