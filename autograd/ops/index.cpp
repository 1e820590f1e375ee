// Forward and backward of the indexing ops, side by side. narrow, slice, select, diagonal, unfold
// and index() are views sharing storage; index_select and gather copy. Each backward puts the
// gradient back where the forward took values from (zeros elsewhere); that placement is itself an
// op whose backward is the original selection, so second-order gradients flow through indexing.
#include "descent/autograd/ops/index.hpp"

#include <functional>
#include <limits>

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/advanced_index.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/gather.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/copy.hpp"
#include "descent/core/kernels/reduce.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

namespace {

// ---- the adjoint of a view -------------------------------------------------------------------
// A view op's backward puts g where the view took its elements from, zeros elsewhere: the same
// view of a zero tensor of the input's shape receives g (added, so overlapping windows sum). That
// placement is itself recorded, its backward being the view again, so second order works too.
using ViewFn = std::function<Tensor(const Tensor&)>;

struct ViewScatterBackward final : Node {
    ViewFn view;
    const char* name() const override { return "ViewScatterBackward"; }
    std::vector<Tensor> apply(Tensor gg) override;
};

Tensor view_scatter(const Tensor& g, const Shape& shape, const ViewFn& view) {
    Tensor out = zeros(shape, g.dtype());
    Tensor region;
    {
        autograd::NoGradGuard no_grad;
        region = view(out);
    }
    ops_detail::visit_floating(g.dtype(), "view backward", [&](auto tag) {
        using T = decltype(tag);
        kernels::strided_add(g.impl()->first_as<T>(), g.strides(), region.impl()->first_as<T>(),
                             region.strides(), g.shape());
    });
    if (auto node = record<ViewScatterBackward>(out, g)) node->view = view;
    return out;
}

// out = zeros with g added at the view's elements:  dL/dg = the same view of gg
std::vector<Tensor> ViewScatterBackward::apply(Tensor gg) { return {view(gg)}; }

// The backward of narrow / slice / select / diagonal / unfold / index(), named after the op: one of
// the names on the name() line (the op table in docs/backprop.md lists each).
struct ViewBackward final : Node {
    const char* label = "SliceBackward";
    ViewFn view;
    // clang-format off
    const char* name() const override { return label; }  // "SliceBackward" "SelectBackward" "DiagonalBackward" "UnfoldBackward"
    // clang-format on
    std::vector<Tensor> apply(Tensor g) override;
};

// out = a view of a:  dL/da = g placed where the view reads a, zeros elsewhere
std::vector<Tensor> ViewBackward::apply(Tensor g) {
    return {view_scatter(g, input_shape(0), view)};
}

// Makes `out`, a view of a, differentiable: `view` re-applies the same view to any tensor of a's
// shape.
Tensor recorded_view(Tensor out, const Tensor& a, const char* label, ViewFn view) {
    if (auto node = record<ViewBackward>(out, a)) {
        node->label = label;
        node->view = std::move(view);
    }
    return out;
}

// Checks that every index addresses an entry of `dim` (size n) of a.
void check_indices(const std::vector<int64_t>& index, int64_t n, const Tensor& a, int64_t dim,
                   const char* op) {
    for (size_t i = 0; i < index.size(); ++i)
        DESCENT_CHECK(index[i] >= 0 && index[i] < n, IndexError, op, "(): index[", i,
                      "] = ", index[i], " is out of range for dim ", dim, " of size ", n,
                      " (shape ", a.shape(), ")");
}

}  // namespace

// ---- narrow / slice / select / diagonal / unfold: views --------------------------------------

Tensor narrow(const Tensor& a, int64_t dim, int64_t start, int64_t length, CallSite) {
    ops_detail::check_defined(a, "narrow");
    DESCENT_CHECK(a.dim() > 0, ShapeError, "narrow(): cannot narrow a 0-d tensor");
    dim = normalize_dim(dim, a.shape(), "narrow");
    const int64_t n = a.shape()[dim];
    DESCENT_CHECK(start >= 0 && length >= 0 && start + length <= n, IndexError, "narrow(): range [",
                  start, ", ", start + length, ") is out of bounds for dim ", dim, " of size ", n,
                  " (shape ", a.shape(), ")");
    Shape shape = a.shape();
    shape[dim] = length;
    const int64_t offset = a.storage_offset() + (length > 0 ? start * a.strides()[dim] : 0);
    return recorded_view(make_strided_view(a, shape, a.strides(), offset), a, "SliceBackward",
                         [=](const Tensor& t) { return narrow(t, dim, start, length); });
}

Tensor slice(const Tensor& a, int64_t dim, int64_t start, int64_t end, int64_t step, CallSite) {
    ops_detail::check_defined(a, "slice");
    DESCENT_CHECK(a.dim() > 0, ShapeError, "slice(): cannot slice a 0-d tensor");
    DESCENT_CHECK(step > 0, ValueError, "slice(): step must be positive, got ", step);
    dim = normalize_dim(dim, a.shape(), "slice");
    const int64_t n = a.shape()[dim];
    // Python slicing: negative counts from the end, out-of-range clamps.
    if (start < 0) start += n;
    if (end < 0) end += n;
    start = std::min(std::max<int64_t>(start, 0), n);
    end = std::min(std::max(end, start), n);
    if (step == 1) return narrow(a, dim, start, end - start);
    Shape shape = a.shape();
    shape[dim] = (end - start + step - 1) / step;
    std::vector<int64_t> strides = a.strides();
    strides[dim] *= step;
    const int64_t offset = a.storage_offset() + (shape[dim] > 0 ? start * a.strides()[dim] : 0);
    return recorded_view(make_strided_view(a, shape, strides, offset), a, "SliceBackward",
                         [=](const Tensor& t) { return slice(t, dim, start, end, step); });
}

Tensor select(const Tensor& a, int64_t dim, int64_t index, CallSite) {
    ops_detail::check_defined(a, "select");
    DESCENT_CHECK(a.dim() > 0, ShapeError, "select(): cannot select from a 0-d tensor");
    dim = normalize_dim(dim, a.shape(), "select");
    const int64_t n = a.shape()[dim];
    DESCENT_CHECK(index >= -n && index < n, IndexError, "select(): index ", index,
                  " is out of range for dim ", dim, " of size ", n, " (shape ", a.shape(), ")");
    if (index < 0) index += n;
    Shape shape = a.shape();
    std::vector<int64_t> strides = a.strides();
    shape.erase(shape.begin() + dim);
    strides.erase(strides.begin() + dim);
    const int64_t offset = a.storage_offset() + index * a.strides()[dim];
    return recorded_view(make_strided_view(a, shape, strides, offset), a, "SelectBackward",
                         [=](const Tensor& t) { return select(t, dim, index); });
}

Tensor diagonal(const Tensor& a, int64_t offset, int64_t dim1, int64_t dim2, CallSite) {
    ops_detail::check_defined(a, "diagonal");
    DESCENT_CHECK(a.dim() >= 2, ShapeError, "diagonal(): expects a tensor with >= 2 dims, got ",
                  a.shape());
    const int64_t d1 = normalize_dim(dim1, a.shape(), "diagonal");
    const int64_t d2 = normalize_dim(dim2, a.shape(), "diagonal");
    DESCENT_CHECK(d1 != d2, ValueError, "diagonal(): dim1 ", dim1, " and dim2 ", dim2,
                  " are the same dim of shape ", a.shape());
    const int64_t n1 = a.shape()[d1], n2 = a.shape()[d2];
    const int64_t len =
        std::max<int64_t>(0, offset >= 0 ? std::min(n1, n2 - offset) : std::min(n1 + offset, n2));
    int64_t start = a.storage_offset();
    if (len > 0) start += offset >= 0 ? offset * a.strides()[d2] : -offset * a.strides()[d1];
    Shape shape;
    std::vector<int64_t> strides;
    for (int64_t d = 0; d < a.dim(); ++d) {
        if (d == d1 || d == d2) continue;
        shape.push_back(a.shape()[d]);
        strides.push_back(a.strides()[d]);
    }
    shape.push_back(len);  // the diagonal is the last dim, as in PyTorch
    strides.push_back(a.strides()[d1] + a.strides()[d2]);
    return recorded_view(make_strided_view(a, shape, strides, start), a, "DiagonalBackward",
                         [=](const Tensor& t) { return diagonal(t, offset, d1, d2); });
}

Tensor unfold(const Tensor& a, int64_t dim, int64_t size, int64_t step, CallSite) {
    ops_detail::check_defined(a, "unfold");
    const int64_t d = normalize_dim(dim, a.shape(), "unfold");  // a 0-d tensor accepts 0 and -1
    const int64_t n = a.dim() == 0 ? 1 : a.shape()[d];
    DESCENT_CHECK(size >= 0 && size <= n, ValueError, "unfold(): size ", size,
                  " is out of range for dim ", dim, " of size ", n, " (shape ", a.shape(), ")");
    DESCENT_CHECK(step > 0, ValueError, "unfold(): step must be positive, got ", step);
    Shape shape = a.shape();
    std::vector<int64_t> strides = a.strides();
    if (a.dim() == 0) {
        shape = {size};
        strides = {1};
    } else {
        shape[d] = (n - size) / step + 1;
        strides[d] *= step;
        shape.push_back(size);  // each window is the new last dim
        strides.push_back(a.strides()[d]);
    }
    return recorded_view(make_strided_view(a, shape, strides, a.storage_offset()), a,
                         "UnfoldBackward",
                         [=](const Tensor& t) { return unfold(t, d, size, step); });
}

// ---- basic indexing ---------------------------------------------------------------------------

// Basic indexing over any list of indices (index_put's node keeps them in a vector).
Tensor ops_detail::basic_index(const Tensor& a, const std::vector<indexing::TensorIndex>& indices) {
    using Kind = indexing::TensorIndex::Kind;
    ops_detail::check_defined(a, "index");
    // First pass: count the dims the indices consume and check every integer, before any view.
    int64_t consumed = 0, ellipses = 0;
    for (const auto& i : indices) {
        consumed += i.kind() == Kind::Integer || i.kind() == Kind::Slice;
        ellipses += i.kind() == Kind::Ellipsis;
    }
    DESCENT_CHECK(ellipses <= 1, IndexError, "index(): an index can have only one Ellipsis, got ",
                  ellipses);
    DESCENT_CHECK(consumed <= a.dim(), IndexError, "index(): too many indices (", consumed,
                  ") for a tensor of shape ", a.shape());
    int64_t dim = 0;  // the dim of `a` that the next index addresses
    for (const auto& i : indices) {
        if (i.kind() == Kind::Ellipsis) dim += a.dim() - consumed;
        if (i.kind() == Kind::Slice) ++dim;
        if (i.kind() != Kind::Integer) continue;
        const int64_t n = a.shape()[dim];
        DESCENT_CHECK(i.integer() >= -n && i.integer() < n, IndexError, "index(): index ",
                      i.integer(), " is out of range for dim ", dim, " of size ", n, " (shape ",
                      a.shape(), ")");
        ++dim;
    }
    // Second pass: each index is one view of the previous result.
    Tensor out = a;
    int64_t at = 0;  // the dim of `out` that the next index addresses
    for (const auto& i : indices) {
        switch (i.kind()) {
            case Kind::Integer: out = select(out, at, i.integer()); break;
            case Kind::Slice: {
                const indexing::Slice& s = i.slice();
                const int64_t step = s.step().value_or(1);
                DESCENT_CHECK(step > 0, ValueError, "index(): a Slice step must be positive, got ",
                              step);
                out = slice(out, at++, s.start().value_or(0),
                            s.stop().value_or(std::numeric_limits<int64_t>::max()), step);
                break;
            }
            case Kind::None: out = unsqueeze(out, at++); break;
            case Kind::Ellipsis: at += a.dim() - consumed; break;
            case Kind::Tensor: break;  // advanced_index() replaced these by slices
        }
    }
    return out.is_same(a)
               ? recorded_view(alias(a), a, "SliceBackward", [](const Tensor& t) { return t; })
               : out;
}

namespace {

// index() over any list: a view, or a copy when a tensor index is among them.
Tensor index_list(const Tensor& a, const std::vector<indexing::TensorIndex>& indices) {
    return ops_detail::has_tensor_index(indices) ? ops_detail::advanced_index(a, indices)
                                                 : ops_detail::basic_index(a, indices);
}

}  // namespace

Tensor index(const Tensor& a, std::initializer_list<indexing::TensorIndex> indices, CallSite) {
    return index_list(a, indices);
}

// ---- index_put (out of place) -----------------------------------------------------------------
struct IndexPutBackward final : Node {
    std::vector<indexing::TensorIndex> indices;
    Shape value_shape;
    const char* name() const override { return "IndexPutBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

namespace {

// a with the region a.index(indices) replaced by value (broadcast to it), recorded.
Tensor index_put_list(const Tensor& a, const std::vector<indexing::TensorIndex>& indices,
                      const Tensor& value) {
    ops_detail::check_defined(a, "index_put", "input");
    ops_detail::check_defined(value, "index_put", "value");
    Tensor out;
    {
        autograd::NoGradGuard no_grad;  // the copy and the write are this op's, not recorded
        const bool advanced = ops_detail::has_tensor_index(indices);
        const Shape region = advanced ? ops_detail::advanced_index_shape(a, indices)
                                      : index_list(a, indices).shape();  // errors before any copy
        const Shape& v = value.shape();
        bool fits = v.size() <= region.size();
        for (size_t k = 1; fits && k <= v.size(); ++k)
            fits = v[v.size() - k] == 1 || v[v.size() - k] == region[region.size() - k];
        DESCENT_CHECK(fits, ShapeError, "index_put(): value of shape ", v,
                      " does not broadcast to the indexed shape ", region, " of ", a.shape());
        out = clone(a);
        if (advanced)
            ops_detail::advanced_index_put_(out, indices, value);
        else
            index_list(out, indices).copy_(value);
    }
    if (auto node = record<IndexPutBackward>(out, a, value)) {
        node->indices = indices;
        node->value_shape = value.shape();
    }
    return out;
}

}  // namespace

Tensor index_put(const Tensor& a, std::initializer_list<indexing::TensorIndex> indices,
                 const Tensor& value, CallSite) {
    return index_put_list(a, indices, value);
}
Tensor index_put(const Tensor& a, std::initializer_list<indexing::TensorIndex> indices, float value,
                 CallSite) {
    return index_put_list(a, indices, scalar_tensor(value));
}

// out = a; out[i] = v:  dL/da = g with g[i] = 0;  dL/dv = sum_to_size(g[i], v's shape)
std::vector<Tensor> IndexPutBackward::apply(Tensor g) {
    return {index_put_list(g, indices, scalar_tensor(0.0f)),
            sum_to_size(index_list(g, indices), value_shape)};
}

// ---- index_select and gather with std::vector indices: thin overloads of gather.hpp's ----------

Tensor index_select(const Tensor& a, int64_t dim, const std::vector<int64_t>& index, CallSite) {
    ops_detail::check_defined(a, "index_select");
    DESCENT_CHECK(a.dim() > 0, ShapeError, "index_select(): cannot index a 0-d tensor");
    dim = normalize_dim(dim, a.shape(), "index_select");
    check_indices(index, a.shape()[dim], a, dim, "index_select");
    return index_select(a, dim, tensor(index));
}

// One index per position of the other dims: gather with an index of a's shape, dim of size 1.
Tensor gather(const Tensor& a, int64_t dim, const std::vector<int64_t>& index, CallSite) {
    ops_detail::check_defined(a, "gather");
    DESCENT_CHECK(a.dim() > 0, ShapeError, "gather(): cannot gather from a 0-d tensor");
    dim = normalize_dim(dim, a.shape(), "gather");
    const kernels::Axis axis = kernels::split_at(a.shape(), dim);
    DESCENT_CHECK(static_cast<int64_t>(index.size()) == axis.outer * axis.inner, ShapeError,
                  "gather(): ", index.size(), " indices for a tensor of shape ", a.shape(),
                  " along dim ", dim, ": expected one per position of the other dims (",
                  axis.outer * axis.inner, ")");
    check_indices(index, axis.n, a, dim, "gather");
    Shape shape = a.shape();
    shape[dim] = 1;
    return gather(a, dim, tensor(index, shape, kInt64));
}

}  // namespace descent
