// Forward and backward of the indexing ops, side by side. Each backward puts the gradient back
// where the forward took values from (zeros elsewhere); that placement is itself an op whose
// backward is the original selection, so second-order gradients flow through indexing too.
#include "descent/autograd/ops/index.hpp"

#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/copy.hpp"
#include "descent/core/kernels/index.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

namespace {

Tensor slice_backward(const Tensor& g, const Shape& shape, int64_t dim, int64_t start);
Tensor index_add_backward(const Tensor& g, const Shape& shape, int64_t dim,
                          const std::vector<int64_t>& index);
Tensor scatter_backward(const Tensor& g, const Shape& shape, int64_t dim,
                        const std::vector<int64_t>& index);

struct SliceBackwardBackward final : Node {
    int64_t dim = 0, start = 0;
    const char* name() const override { return "SliceBackwardBackward"; }
    std::vector<Tensor> apply(Tensor gg) override;
};

// g: (outer, len, inner) -> out: `shape` = (outer, n, inner), g at [start, start+len)
Tensor slice_backward(const Tensor& g, const Shape& shape, int64_t dim, int64_t start) {
    Tensor out = zeros(shape);
    kernels::slice_assign(g.data(), g.shape()[dim], kernels::split_at(shape, dim), start,
                          out.data());
    if (auto node = record<SliceBackwardBackward>(out, g)) {
        node->dim = dim;
        node->start = start;
    }
    return out;
}

// out = g placed at start:  dL/dg = gg[start:start+len] along dim
std::vector<Tensor> SliceBackwardBackward::apply(Tensor gg) {
    return {narrow(gg, dim, start, input_shape(0)[dim])};
}

struct IndexAddBackward final : Node {
    int64_t dim = 0;
    std::vector<int64_t> index;
    const char* name() const override { return "IndexAddBackward"; }
    std::vector<Tensor> apply(Tensor gg) override;
};

Tensor index_add_backward(const Tensor& g, const Shape& shape, int64_t dim,
                          const std::vector<int64_t>& index) {
    Tensor out = zeros(shape);
    kernels::index_add(g.data(), kernels::split_at(shape, dim), index.data(),
                       static_cast<int64_t>(index.size()), out.data());
    if (auto node = record<IndexAddBackward>(out, g)) {
        node->dim = dim;
        node->index = index;
    }
    return out;
}

// out[index[j]] += g[j]:  dL/dg = gg[index]
std::vector<Tensor> IndexAddBackward::apply(Tensor gg) { return {index_select(gg, dim, index)}; }

struct ScatterBackward final : Node {
    int64_t dim = 0;
    std::vector<int64_t> index;
    const char* name() const override { return "ScatterBackward"; }
    std::vector<Tensor> apply(Tensor gg) override;
};

Tensor scatter_backward(const Tensor& g, const Shape& shape, int64_t dim,
                        const std::vector<int64_t>& index) {
    Tensor out = zeros(shape);
    kernels::scatter_add(g.data(), kernels::split_at(shape, dim), index.data(), out.data());
    if (auto node = record<ScatterBackward>(out, g)) {
        node->dim = dim;
        node->index = index;
    }
    return out;
}

// out[index[i]] += g[i]:  dL/dg = gather(gg, index)
std::vector<Tensor> ScatterBackward::apply(Tensor gg) { return {gather(gg, dim, index)}; }

// Checks that every index addresses an entry of `dim` (size n) of a.
void check_indices(const std::vector<int64_t>& index, int64_t n, const Tensor& a, int64_t dim,
                   const char* op) {
    for (size_t i = 0; i < index.size(); ++i)
        DESCENT_CHECK(index[i] >= 0 && index[i] < n, IndexError, op, "(): index[", i,
                      "] = ", index[i], " is out of range for dim ", dim, " of size ", n,
                      " (shape ", a.shape(), ")");
}

}  // namespace

// ---- narrow / slice -------------------------------------------------------------------------
struct SliceBackward final : Node {
    int64_t dim = 0, start = 0;
    const char* name() const override { return "SliceBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

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
    const kernels::Axis axis = kernels::split_at(a.shape(), dim);
    Tensor out;
    if (axis.outer == 1) {
        out = make_view(a, start * axis.inner, shape);  // a contiguous block: share storage
    } else {
        out = make_tensor(shape);
        kernels::slice_copy(a.data(), axis, start, length, out.data());
    }
    if (auto node = record<SliceBackward>(out, a)) {
        node->dim = dim;
        node->start = start;
    }
    return out;
}

// out = a[start:start+len] along dim:  dL/da = g placed at start, zeros elsewhere
std::vector<Tensor> SliceBackward::apply(Tensor g) {
    return {slice_backward(g, input_shape(0), dim, start)};
}

Tensor slice(const Tensor& a, int64_t dim, int64_t start, int64_t end, CallSite) {
    ops_detail::check_defined(a, "slice");
    DESCENT_CHECK(a.dim() > 0, ShapeError, "slice(): cannot slice a 0-d tensor");
    const int64_t n = a.shape()[normalize_dim(dim, a.shape(), "slice")];
    // Python slicing: negative counts from the end, out-of-range clamps.
    if (start < 0) start += n;
    if (end < 0) end += n;
    start = std::min(std::max<int64_t>(start, 0), n);
    end = std::min(std::max(end, start), n);
    return narrow(a, dim, start, end - start);
}

Tensor select(const Tensor& a, int64_t dim, int64_t index, CallSite) {
    ops_detail::check_defined(a, "select");
    DESCENT_CHECK(a.dim() > 0, ShapeError, "select(): cannot select from a 0-d tensor");
    dim = normalize_dim(dim, a.shape(), "select");
    const int64_t n = a.shape()[dim];
    DESCENT_CHECK(index >= -n && index < n, IndexError, "select(): index ", index,
                  " is out of range for dim ", dim, " of size ", n, " (shape ", a.shape(), ")");
    return squeeze(narrow(a, dim, index < 0 ? index + n : index, 1), dim);
}

// ---- index_select ---------------------------------------------------------------------------
struct IndexSelectBackward final : Node {
    int64_t dim = 0;
    std::vector<int64_t> index;
    const char* name() const override { return "IndexSelectBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor index_select(const Tensor& a, int64_t dim, const std::vector<int64_t>& index, CallSite) {
    ops_detail::check_defined(a, "index_select");
    DESCENT_CHECK(a.dim() > 0, ShapeError, "index_select(): cannot index a 0-d tensor");
    dim = normalize_dim(dim, a.shape(), "index_select");
    check_indices(index, a.shape()[dim], a, dim, "index_select");
    Shape shape = a.shape();
    shape[dim] = static_cast<int64_t>(index.size());
    Tensor out = make_tensor(shape);
    kernels::index_select(a.data(), kernels::split_at(a.shape(), dim), index.data(),
                          static_cast<int64_t>(index.size()), out.data());
    if (auto node = record<IndexSelectBackward>(out, a)) {
        node->dim = dim;
        node->index = index;
    }
    return out;
}

// out = a[index] along dim:  dL/da[i] = Σ_{j: index[j] = i} g[j]
std::vector<Tensor> IndexSelectBackward::apply(Tensor g) {
    return {index_add_backward(g, input_shape(0), dim, index)};
}

// ---- gather ---------------------------------------------------------------------------------
struct GatherBackward final : Node {
    int64_t dim = 0;
    std::vector<int64_t> index;
    const char* name() const override { return "GatherBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

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
    Tensor out = make_tensor(shape);
    kernels::gather(a.data(), axis, index.data(), out.data());
    if (auto node = record<GatherBackward>(out, a)) {
        node->dim = dim;
        node->index = index;
    }
    return out;
}

// out[i] = a[index[i]] along dim:  dL/da = g scattered back to the picked positions
std::vector<Tensor> GatherBackward::apply(Tensor g) {
    return {scatter_backward(g, input_shape(0), dim, index)};
}

}  // namespace descent
