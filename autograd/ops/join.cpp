// Forward and backward of cat, side by side; stack is unsqueeze + cat.
#include "descent/autograd/ops/join.hpp"

#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/kernels/copy.hpp"

namespace descent {

using autograd::Node;

struct CatBackward final : Node {
    int64_t dim = 0;
    const char* name() const override { return "CatBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim, CallSite) {
    DESCENT_CHECK(!tensors.empty(), ValueError, "cat(): expects at least one tensor");
    for (const Tensor& t : tensors) ops_detail::check_defined(t, "cat");
    const Tensor& first = tensors[0];
    DESCENT_CHECK(first.dim() > 0, ShapeError, "cat(): cannot concatenate 0-d tensors");
    dim = normalize_dim(dim, first.shape(), "cat");
    Shape shape = first.shape();
    shape[dim] = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const Shape& s = tensors[i].shape();
        bool same = s.size() == first.shape().size();
        for (size_t d = 0; same && d < s.size(); ++d)
            same = static_cast<int64_t>(d) == dim || s[d] == first.shape()[d];
        DESCENT_CHECK(same, ShapeError, "cat(): tensor ", i, " has shape ", s,
                      " but tensor 0 has shape ", first.shape(),
                      "; they must match in every dim except ", dim);
        shape[dim] += s[dim];
    }
    // As PyTorch: the tensors' promoted dtype; each is converted into it as it is copied.
    ScalarType dtype = first.dtype();
    for (const Tensor& t : tensors) dtype = promote_types(dtype, t.dtype());
    Tensor out = make_tensor(shape, dtype);
    const kernels::Axis axis = kernels::split_at(shape, dim);
    int64_t start = 0;
    for (const Tensor& t : tensors) {
        visit_dtype(dtype, [&](auto tag) {
            using T = decltype(tag);
            if constexpr (std::is_same_v<T, uint8_t>) {  // no uint8 kernel: convert via strides
                std::vector<int64_t> dst_strides = out.strides();
                const int64_t offset = start * dst_strides[dim];
                kernels::convert(t.dtype(), t.impl()->first_raw(), t.strides(), dtype,
                                 out.data<T>() + offset, dst_strides, t.shape());
            } else {
                const Tensor src = ops_detail::as_dtype(detail::dense(t), dtype);
                kernels::slice_assign(src.data<T>(), t.shape()[dim], axis, start, out.data<T>());
            }
        });
        start += t.shape()[dim];
    }
    if (auto node = autograd::detail::record_list<CatBackward>(out, tensors)) node->dim = dim;
    return out;
}

// out = [a₀ a₁ …] along dim:  dL/daᵢ = the slice of g where aᵢ was placed
std::vector<Tensor> CatBackward::apply(Tensor g) {
    std::vector<Tensor> grads(next_edges().size());
    int64_t start = 0;
    for (size_t i = 0; i < grads.size(); ++i) {
        const int64_t len = input_shape(i)[dim];
        if (needs_input_grad(i)) grads[i] = narrow(g, dim, start, len);
        start += len;
    }
    return grads;
}

Tensor concat(const std::vector<Tensor>& tensors, int64_t dim, CallSite) {
    return cat(tensors, dim);
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim, CallSite) {
    DESCENT_CHECK(!tensors.empty(), ValueError, "stack(): expects at least one tensor");
    for (size_t i = 0; i < tensors.size(); ++i) {
        ops_detail::check_defined(tensors[i], "stack");
        DESCENT_CHECK(tensors[i].shape() == tensors[0].shape(), ShapeError, "stack(): tensor ", i,
                      " has shape ", tensors[i].shape(), " but tensor 0 has shape ",
                      tensors[0].shape());
    }
    // The new dim may sit anywhere up to after the last one; checked here so the error names stack.
    const int64_t n = tensors[0].dim() + 1;
    DESCENT_CHECK(dim >= -n && dim < n, IndexError, "stack(): dim ", dim,
                  " is out of range for tensors of shape ", tensors[0].shape(), " (expected ", -n,
                  "..", n - 1, ")");
    std::vector<Tensor> expanded;
    expanded.reserve(tensors.size());
    for (const Tensor& t : tensors) expanded.push_back(unsqueeze(t, dim));
    return cat(expanded, dim);
}

}  // namespace descent
