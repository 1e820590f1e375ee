// sort, argsort, topk and nonzero. The ordering runs on the indices of each line along the dim
// (a stable sort with NaN as the largest value); the values are gather(a, dim, indices), whose
// node carries the gradient.
#include "descent/autograd/ops/sort.hpp"

#include <algorithm>
#include <numeric>

#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/gather.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/reduce.hpp"

namespace descent {

namespace {

// The first `keep` indices of each line along `dim` of a in the order asked: index tensor of a's
// shape with dim of size keep.
Tensor ordered_indices(const Tensor& a, int64_t dim, bool descending, int64_t keep) {
    const kernels::Axis axis =
        a.dim() == 0 ? kernels::Axis{1, 1, 1} : kernels::split_at(a.shape(), dim);
    Shape shape = a.shape();
    if (a.dim() > 0) shape[dim] = keep;
    Tensor out = make_tensor(shape, kInt64);
    int64_t* op = out.data<int64_t>();
    const Tensor ad = detail::dense(a);
    visit_dtype(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* x = ad.data<T>();
        std::vector<int64_t> order(static_cast<size_t>(axis.n));
        for (int64_t o = 0; o < axis.outer; ++o)
            for (int64_t k = 0; k < axis.inner; ++k) {
                const T* line = x + o * axis.n * axis.inner + k;  // line[j * inner], j < n
                auto at = [&](int64_t j) { return line[j * axis.inner]; };
                std::iota(order.begin(), order.end(), int64_t{0});
                // NaN (x != x) is the largest value
                auto less = [&](int64_t i, int64_t j) {
                    const T u = at(i), v = at(j);
                    return u == u && (v != v || u < v);
                };
                auto greater = [&](int64_t i, int64_t j) {
                    const T u = at(i), v = at(j);
                    return (u != u && v == v) || u > v;
                };
                if (descending)
                    std::stable_sort(order.begin(), order.end(), greater);
                else
                    std::stable_sort(order.begin(), order.end(), less);
                for (int64_t j = 0; j < keep; ++j)
                    op[(o * keep + j) * axis.inner + k] = order[static_cast<size_t>(j)];
            }
    });
    return out;
}

int64_t checked_dim(const Tensor& a, int64_t dim, const char* op) {
    ops_detail::check_defined(a, op);
    return normalize_dim(dim, a.shape(), op);
}

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& a, int64_t dim, bool descending, CallSite) {
    dim = checked_dim(a, dim, "sort");
    Tensor index = ordered_indices(a, dim, descending, a.dim() == 0 ? 1 : a.shape()[dim]);
    return {gather(a, dim, index), index};
}

Tensor argsort(const Tensor& a, int64_t dim, bool descending, CallSite) {
    dim = checked_dim(a, dim, "argsort");
    return ordered_indices(a, dim, descending, a.dim() == 0 ? 1 : a.shape()[dim]);
}

std::tuple<Tensor, Tensor> topk(const Tensor& a, int64_t k, int64_t dim, bool largest, bool,
                                CallSite) {
    dim = checked_dim(a, dim, "topk");
    const int64_t n = a.dim() == 0 ? 1 : a.shape()[dim];
    DESCENT_CHECK(k >= 0 && k <= n, IndexError, "topk(): k = ", k, " is out of range for dim ", dim,
                  " of size ", n, " (shape ", a.shape(), ")");
    Tensor index = ordered_indices(a, dim, largest, k);
    return {gather(a, dim, index), index};
}

Tensor nonzero(const Tensor& a, CallSite) {
    ops_detail::check_defined(a, "nonzero");
    const Tensor ad = detail::dense(a);
    std::vector<int64_t> flat;  // the row-major positions of the nonzero elements
    visit_dtype(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* x = ad.data<T>();
        for (int64_t p = 0; p < a.numel(); ++p)
            if (x[p] != T(0)) flat.push_back(p);
    });
    const int64_t n = static_cast<int64_t>(flat.size()), nd = a.dim();
    Tensor out = make_tensor({n, nd}, kInt64);
    int64_t* op = out.data<int64_t>();
    for (int64_t i = 0; i < n; ++i) {
        int64_t f = flat[static_cast<size_t>(i)];
        for (int64_t d = nd; d-- > 0;) {  // row-major position -> coordinates
            op[i * nd + d] = f % a.shape()[d];
            f /= a.shape()[d];
        }
    }
    return out;
}

}  // namespace descent
