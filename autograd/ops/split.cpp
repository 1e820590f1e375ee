// chunk, split and unbind: the sizes are checked first, then each piece is a narrow (or select)
// of the input, recorded as such, so a piece's gradient lands in its own range of the input.
#include "descent/autograd/ops/split.hpp"

#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/index.hpp"

namespace descent {

namespace {

// The dim the pieces are cut along, normalised; the input must have at least one dim.
int64_t cut_dim(const Tensor& a, int64_t dim, const char* op) {
    ops_detail::check_defined(a, op);
    DESCENT_CHECK(a.dim() > 0, ShapeError, op, "(): cannot cut a 0-d tensor into pieces");
    return normalize_dim(dim, a.shape(), op);
}

std::vector<Tensor> pieces(const Tensor& a, const std::vector<int64_t>& sizes, int64_t dim) {
    std::vector<Tensor> out;
    out.reserve(sizes.size());
    int64_t start = 0;
    for (int64_t len : sizes) {
        out.push_back(narrow(a, dim, start, len));
        start += len;
    }
    return out;
}

// Pieces of `size` elements, the last one shorter (a single empty piece for an empty dim).
std::vector<int64_t> even_sizes(int64_t n, int64_t size) {
    if (n == 0) return {0};
    std::vector<int64_t> sizes;
    for (int64_t start = 0; start < n; start += size) sizes.push_back(std::min(size, n - start));
    return sizes;
}

std::vector<Tensor> split_sizes_impl(const Tensor& a, const std::vector<int64_t>& sizes,
                                     int64_t dim, const char* op) {
    dim = cut_dim(a, dim, op);
    int64_t total = 0;
    for (int64_t s : sizes) {
        DESCENT_CHECK(s >= 0, ValueError, op, "(): split_sizes ", Shape(sizes.begin(), sizes.end()),
                      " has a negative size ", s);
        total += s;
    }
    DESCENT_CHECK(total == a.size(dim), ValueError, op, "(): split_sizes ",
                  Shape(sizes.begin(), sizes.end()), " add up to ", total, ", but dim ", dim,
                  " has size ", a.size(dim), " (shape ", a.shape(), ")");
    return pieces(a, sizes, dim);
}

}  // namespace

std::vector<Tensor> chunk(const Tensor& a, int64_t chunks, int64_t dim, CallSite) {
    ops_detail::check_defined(a, "chunk");
    DESCENT_CHECK(chunks > 0, ValueError, "chunk(): chunks must be positive, got ", chunks);
    dim = cut_dim(a, dim, "chunk");
    const int64_t n = a.size(dim);
    if (n == 0) return pieces(a, std::vector<int64_t>(static_cast<size_t>(chunks), 0), dim);
    return pieces(a, even_sizes(n, (n + chunks - 1) / chunks), dim);
}

std::vector<Tensor> split(const Tensor& a, int64_t split_size, int64_t dim, CallSite) {
    dim = cut_dim(a, dim, "split");
    const int64_t n = a.size(dim);
    DESCENT_CHECK(split_size > 0 || (split_size == 0 && n == 0), ValueError,
                  "split(): split_size must be positive (0 only for an empty dim), got ",
                  split_size, " for dim ", dim, " of size ", n);
    return pieces(a, even_sizes(n, split_size), dim);
}

std::vector<Tensor> split(const Tensor& a, const std::vector<int64_t>& split_sizes, int64_t dim,
                          CallSite) {
    return split_sizes_impl(a, split_sizes, dim, "split");
}

std::vector<Tensor> split_with_sizes(const Tensor& a, const std::vector<int64_t>& split_sizes,
                                     int64_t dim, CallSite) {
    return split_sizes_impl(a, split_sizes, dim, "split_with_sizes");
}

std::vector<Tensor> unbind(const Tensor& a, int64_t dim, CallSite) {
    dim = cut_dim(a, dim, "unbind");
    std::vector<Tensor> out;
    out.reserve(static_cast<size_t>(a.size(dim)));
    for (int64_t i = 0; i < a.size(dim); ++i) out.push_back(select(a, dim, i));
    return out;
}

}  // namespace descent
