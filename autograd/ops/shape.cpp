// Forward and backward of the shape ops, side by side. Each is a view sharing its input's storage
// (only reshape of a layout no strides can express copies), and each backward is the inverse
// rearrangement of the gradient: a reshape back, a sum over expanded dims, the inverse permutation.
#include "descent/autograd/ops/shape.hpp"

#include <algorithm>

#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/kernels/copy.hpp"
#include "descent/core/kernels/elementwise.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

namespace {

// Resolves a -1 in `shape` and checks the element count, before anything is allocated.
Shape infer_shape(const Tensor& a, const Shape& shape, const char* op) {
    Shape out = shape;
    int64_t known = 1, infer_at = -1;
    for (size_t i = 0; i < out.size(); ++i) {
        if (out[i] == -1) {
            DESCENT_CHECK(infer_at < 0, ValueError, op, "(): only one dim can be -1, got ", shape);
            infer_at = static_cast<int64_t>(i);
        } else {
            DESCENT_CHECK(out[i] >= 0, ValueError, op, "(): invalid size ", out[i], " in shape ",
                          shape);
            known *= out[i];
        }
    }
    if (infer_at >= 0) {
        DESCENT_CHECK(known != 0 && a.numel() % known == 0, ShapeError, op, "(): cannot view ",
                      a.shape(), " (", a.numel(), " elements) as ", shape);
        out[infer_at] = a.numel() / known;
    }
    DESCENT_CHECK(numel(out) == a.numel(), ShapeError, op, "(): cannot view ", a.shape(), " (",
                  a.numel(), " elements) as ", shape, " (", numel(out), " elements)");
    return out;
}

// The strides that show a's elements, in order, with `shape`; false when no strides can (dims
// that are not contiguous with each other would have to merge). PyTorch's rule: each run of a's
// dims that is contiguous within itself may be split and merged freely.
bool view_strides(const Tensor& a, const Shape& shape, std::vector<int64_t>& out) {
    out.assign(shape.size(), 0);
    if (a.numel() == 0 || a.is_contiguous()) {
        out = contiguous_strides(shape);
        return true;
    }
    const Shape& old = a.shape();
    const std::vector<int64_t>& st = a.strides();
    int64_t view_d = shape.ndim() - 1;
    int64_t chunk_stride = st.back(), tensor_numel = 1, view_numel = 1;
    for (int64_t d = old.ndim() - 1; d >= 0; --d) {
        tensor_numel *= old[d];
        if (d == 0 || (old[d - 1] != 1 && st[d - 1] != tensor_numel * chunk_stride)) {
            while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
                out[view_d] = view_numel * chunk_stride;
                view_numel *= shape[view_d];
                --view_d;
            }
            if (view_numel != tensor_numel) return false;
            if (d > 0) {
                chunk_stride = st[d - 1];
                tensor_numel = view_numel = 1;
            }
        }
    }
    return view_d == -1;
}

// ---- reshape --------------------------------------------------------------------------------
struct ReshapeBackward final : Node {
    const char* name() const override { return "ReshapeBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

// A view with another shape; when a's strides cannot show it, a copy (reshape) or a ShapeError
// (view, as PyTorch's view refuses).
Tensor reshape_impl(const Tensor& a, const Shape& shape, const char* op, bool may_copy = true) {
    ops_detail::check_defined(a, op);
    const Shape target = infer_shape(a, shape, op);
    std::vector<int64_t> strides;
    if (!view_strides(a, target, strides)) {
        DESCENT_CHECK(may_copy, ShapeError, op, "(): cannot view a tensor of sizes ", a.shape(),
                      " and strides ", Shape(a.strides().begin(), a.strides().end()), " as ", shape,
                      ": its dims do not merge in memory; use reshape(), which copies");
        return reshape_impl(clone(a), target, op);
    }
    Tensor out = a.is_contiguous() ? make_view(a, 0, target)
                                   : make_strided_view(a, target, strides, a.storage_offset());
    record<ReshapeBackward>(out, a);
    return out;
}

// out = a viewed with another shape:  dL/da = g viewed with a's shape
std::vector<Tensor> ReshapeBackward::apply(Tensor g) { return {reshape(g, input_shape(0))}; }

}  // namespace

Tensor reshape(const Tensor& a, const Shape& shape, CallSite) {
    return reshape_impl(a, shape, "reshape");
}
Tensor view(const Tensor& a, const Shape& shape, CallSite) {
    return reshape_impl(a, shape, "view", /*may_copy=*/false);
}

Tensor flatten(const Tensor& a, int64_t start_dim, int64_t end_dim, CallSite) {
    ops_detail::check_defined(a, "flatten");
    // A 0-d tensor accepts dims 0 and -1 (normalize_dim checks them) and flattens to (1).
    const int64_t s = normalize_dim(start_dim, a.shape(), "flatten");
    const int64_t e = normalize_dim(end_dim, a.shape(), "flatten");
    if (a.dim() == 0) return reshape_impl(a, {1}, "flatten");
    DESCENT_CHECK(s <= e, ValueError, "flatten(): start_dim ", start_dim, " comes after end_dim ",
                  end_dim, " for shape ", a.shape());
    Shape shape(a.shape().begin(), a.shape().begin() + s);
    int64_t merged = 1;
    for (int64_t d = s; d <= e; ++d) merged *= a.shape()[d];
    shape.push_back(merged);
    shape.insert(shape.end(), a.shape().begin() + e + 1, a.shape().end());
    return reshape_impl(a, shape, "flatten");
}

Tensor squeeze(const Tensor& a, CallSite) {
    ops_detail::check_defined(a, "squeeze");
    Shape shape;
    for (int64_t d : a.shape())
        if (d != 1) shape.push_back(d);
    return reshape_impl(a, shape, "squeeze");
}

Tensor squeeze(const Tensor& a, int64_t dim, CallSite) {
    ops_detail::check_defined(a, "squeeze");
    Shape shape = a.shape();
    dim = normalize_dim(dim, a.shape(), "squeeze");  // a 0-d tensor accepts dims 0 and -1
    if (a.dim() > 0 && shape[dim] == 1) shape.erase(shape.begin() + dim);
    return reshape_impl(a, shape, "squeeze");
}

Tensor unsqueeze(const Tensor& a, int64_t dim, CallSite) {
    ops_detail::check_defined(a, "unsqueeze");
    const int64_t n = a.dim() + 1;  // dim may address the new position at the end
    DESCENT_CHECK(dim >= -n && dim < n, IndexError, "unsqueeze(): dim ", dim,
                  " is out of range for a tensor of shape ", a.shape(), " (expected ", -n, "..",
                  n - 1, ")");
    if (dim < 0) dim += n;
    Shape shape = a.shape();
    shape.insert(shape.begin() + dim, 1);
    return reshape_impl(a, shape, "unsqueeze");
}

// ---- expand ---------------------------------------------------------------------------------
struct ExpandBackward final : Node {
    const char* name() const override { return "ExpandBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor expand(const Tensor& a, const Shape& shape, CallSite) {
    ops_detail::check_defined(a, "expand");
    DESCENT_CHECK(shape.size() >= a.shape().size(), ShapeError, "expand(): cannot expand ",
                  a.shape(), " to ", shape, ": the target has fewer dims");
    Shape target = shape;
    const size_t lead = shape.size() - a.shape().size();
    for (size_t i = 0; i < target.size(); ++i) {
        const int64_t have = i < lead ? 1 : a.shape()[i - lead];
        if (target[i] == -1) {
            DESCENT_CHECK(i >= lead, ValueError,
                          "expand(): -1 is not allowed for a new leading dim ", "in ", shape);
            target[i] = have;
        }
        DESCENT_CHECK(target[i] >= 0 && (have == target[i] || have == 1), ShapeError,
                      "expand(): cannot expand ", a.shape(), " to ", shape, ": dim ", i, " is ",
                      have, " (only a size of 1 can be expanded)");
    }
    if (target == a.shape()) return a;
    checked_numel(target, "expand");
    // A stretched dim steps by 0: every index along it reads the one element.
    std::vector<int64_t> strides(target.size(), 0);
    for (size_t i = lead; i < target.size(); ++i)
        if (a.shape()[i - lead] == target[i]) strides[i] = a.strides()[i - lead];
    Tensor out = make_strided_view(a, target, strides, a.storage_offset());
    record<ExpandBackward>(out, a);
    return out;
}

// out = a repeated along broadcast dims:  dL/da = g summed over those dims
std::vector<Tensor> ExpandBackward::apply(Tensor g) { return {sum_to_size(g, input_shape(0))}; }

Tensor broadcast_to(const Tensor& a, const Shape& shape, CallSite) { return expand(a, shape); }

// ---- permute --------------------------------------------------------------------------------
struct PermuteBackward final : Node {
    std::vector<int64_t> inverse;
    const char* name() const override { return "PermuteBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor permute(const Tensor& a, const std::vector<int64_t>& dims, CallSite) {
    ops_detail::check_defined(a, "permute");
    const int64_t n = a.dim();
    DESCENT_CHECK(static_cast<int64_t>(dims.size()) == n, ShapeError, "permute(): got ",
                  dims.size(), " dims for a tensor of shape ", a.shape());
    std::vector<int64_t> perm(dims.size()), inverse(dims.size(), -1), strides(dims.size());
    Shape shape(dims.size());
    for (int64_t i = 0; i < n; ++i) {
        perm[i] = normalize_dim(dims[i], a.shape(), "permute");
        DESCENT_CHECK(inverse[perm[i]] < 0, ValueError, "permute(): dim ", dims[i],
                      " appears twice for a tensor of shape ", a.shape());
        inverse[perm[i]] = i;
        shape[i] = a.shape()[perm[i]];
        strides[i] = a.strides()[perm[i]];
    }
    Tensor out = make_strided_view(a, shape, strides, a.storage_offset());
    if (auto node = record<PermuteBackward>(out, a)) node->inverse = inverse;
    return out;
}

// out = a with dims reordered by p:  dL/da = g with dims reordered by p⁻¹
std::vector<Tensor> PermuteBackward::apply(Tensor g) { return {permute(g, inverse)}; }

Tensor transpose(const Tensor& a, int64_t dim0, int64_t dim1, CallSite) {
    ops_detail::check_defined(a, "transpose");
    // Both dims are checked first: a 0-d tensor accepts 0 and -1, and has nothing to swap.
    const int64_t d0 = normalize_dim(dim0, a.shape(), "transpose");
    const int64_t d1 = normalize_dim(dim1, a.shape(), "transpose");
    if (a.dim() == 0) return permute(a, {});
    std::vector<int64_t> dims(a.dim());
    for (int64_t i = 0; i < a.dim(); ++i) dims[i] = i;
    std::swap(dims[d0], dims[d1]);
    return permute(a, dims);
}

Tensor t(const Tensor& a, CallSite) {
    ops_detail::check_defined(a, "t");
    DESCENT_CHECK(a.dim() <= 2, ShapeError, "t(): expects a tensor with <= 2 dims, got shape ",
                  a.shape(), "; use transpose(dim0, dim1)");
    return a.dim() < 2 ? a : transpose(a, 0, 1);
}

// ---- clone ----------------------------------------------------------------------------------
struct CloneBackward final : Node {
    const char* name() const override { return "CloneBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor clone(const Tensor& a, CallSite) {
    ops_detail::check_defined(a, "clone");
    Tensor out = make_tensor(a.shape(), a.dtype());
    kernels::convert(a.dtype(), a.impl()->first_raw(), a.strides(), a.dtype(),
                     out.impl()->first_raw(), out.strides(), a.shape());
    record<CloneBackward>(out, a);
    return out;
}

// out = a:  dL/da = g
std::vector<Tensor> CloneBackward::apply(Tensor g) { return {g}; }

}  // namespace descent
