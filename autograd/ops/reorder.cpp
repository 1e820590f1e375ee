// flip, roll, tril and triu, composed from index_select (a permutation of one dim) and where (a
// constant triangle mask): their backward passes are those ops', so both orders are exact.
#include "descent/autograd/ops/reorder.hpp"

#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/dims.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/core/factory.hpp"

namespace descent {

// out[..., i, ...] = a[..., n-1-i, ...] along each dim: dL/da is g flipped back (index_select's).
Tensor flip(const Tensor& a, const std::vector<int64_t>& dims, CallSite) {
    ops_detail::check_defined(a, "flip");
    const std::vector<int64_t> norm = ops_detail::normalize_dims(dims, a.shape(), "flip");
    if (a.dim() == 0 || norm.empty()) return clone(a);
    Tensor out = a;
    for (int64_t d : norm) {
        const int64_t n = a.size(d);
        std::vector<int64_t> index(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) index[static_cast<size_t>(i)] = n - 1 - i;
        out = index_select(out, d, index);
    }
    return out;
}

// out[..., i, ...] = a[..., (i - shift) mod n, ...] along each dim.
Tensor roll(const Tensor& a, const std::vector<int64_t>& shifts, const std::vector<int64_t>& dims,
            CallSite) {
    ops_detail::check_defined(a, "roll");
    if (dims.empty()) {
        DESCENT_CHECK(shifts.size() == 1, ValueError, "roll(): with no dims, one shift rolls the ",
                      "flattened tensor; got shifts ", Shape(shifts.begin(), shifts.end()));
        if (a.numel() == 0 || a.dim() == 0) return clone(a);
        return reshape(roll(flatten(a), shifts, {0}), a.shape());
    }
    DESCENT_CHECK(shifts.size() == dims.size(), ValueError, "roll(): shifts ",
                  Shape(shifts.begin(), shifts.end()), " and dims ",
                  Shape(dims.begin(), dims.end()), " must have the same length");
    std::vector<int64_t> norm;
    for (int64_t dim : dims) norm.push_back(normalize_dim(dim, a.shape(), "roll"));
    if (a.dim() == 0) return clone(a);
    Tensor out = a;
    for (size_t k = 0; k < norm.size(); ++k) {
        const int64_t n = a.size(norm[k]);
        if (n == 0) continue;
        const int64_t shift = ((shifts[k] % n) + n) % n;
        std::vector<int64_t> index(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) index[static_cast<size_t>(i)] = (i - shift + n) % n;
        out = index_select(out, norm[k], index);
    }
    return out.is_same(a) ? clone(a) : out;
}

namespace {

enum class Triangle { Lower, Upper };

// where(mask, a, 0) with mask (rows, cols) = [j - i <= k] (lower) or [j - i >= k] (upper),
// broadcast over the leading dims: dL/da = g where the mask is 1.
Tensor triangle(const Tensor& a, int64_t k, Triangle which, const char* op) {
    ops_detail::check_defined(a, op);
    DESCENT_CHECK(a.dim() >= 2, ShapeError, op,
                  "(): expects a tensor of at least 2 dims, got shape ", a.shape());
    const int64_t rows = a.size(-2), cols = a.size(-1);
    Tensor mask = make_tensor({rows, cols});
    float* m = mask.data();
    for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j)
            m[i * cols + j] = (which == Triangle::Lower ? j - i <= k : j - i >= k) ? 1.0f : 0.0f;
    return where(mask, a, scalar_tensor(0.0f));
}

}  // namespace

Tensor tril(const Tensor& a, int64_t diagonal, CallSite) {
    return triangle(a, diagonal, Triangle::Lower, "tril");
}
Tensor triu(const Tensor& a, int64_t diagonal, CallSite) {
    return triangle(a, diagonal, Triangle::Upper, "triu");
}

}  // namespace descent
