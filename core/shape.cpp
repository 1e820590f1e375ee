// Shape rules every op shares: element counts with overflow checks, broadcasting, negative dims.
#include "descent/core/shape.hpp"

#include <limits>
#include <ostream>

#include "descent/core/error.hpp"

namespace descent {

std::ostream& operator<<(std::ostream& os, const Shape& shape) {
    os << '(';
    for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
    return os << ')';
}

int64_t checked_numel(const Shape& shape, const char* op) {
    constexpr int64_t max_elements = std::numeric_limits<int64_t>::max() / sizeof(float);
    int64_t n = 1;
    for (int64_t d : shape) {
        DESCENT_CHECK(d >= 0, ValueError, op, "(): negative size in shape ", shape);
        // Bounded so that the buffer's size in bytes (numel * sizeof(float)) fits in int64 too.
        DESCENT_CHECK(d == 0 || n <= max_elements / d, ValueError, op, "(): shape ", shape,
                      " has more elements than an int64-sized buffer holds (at most ", max_elements,
                      ")");
        n *= d;
    }
    return n;
}

int64_t numel(const Shape& shape) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
    const size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (size_t i = 0; i < n; ++i) {
        // Walk from the trailing dim; a missing leading dim counts as 1.
        const int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
        const int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
        DESCENT_CHECK(da == db || da == 1 || db == 1, ShapeError, op, "(): shapes ", a, " and ", b,
                      " do not broadcast: dim -", i + 1, " is ", da, " vs ", db);
        out[n - 1 - i] = da == 1 ? db : da;
    }
    return out;
}

int64_t normalize_dim(int64_t dim, const Shape& shape, const char* op) {
    const int64_t n = shape.ndim();
    // A 0-d tensor accepts dim 0 and -1, as in PyTorch.
    const int64_t lo = n == 0 ? -1 : -n, hi = n == 0 ? 0 : n - 1;
    DESCENT_CHECK(dim >= lo && dim <= hi, IndexError, op, "(): dim ", dim,
                  " is out of range for a tensor of shape ", shape, " (expected ", lo, "..", hi,
                  ")");
    return dim < 0 ? dim + std::max<int64_t>(n, 1) : dim;
}

Shape reduced_shape(const Shape& shape, int64_t dim, bool keepdim) {
    Shape out = shape;
    if (shape.empty()) return out;
    if (keepdim) {
        out[dim] = 1;
    } else {
        out.erase(out.begin() + dim);
    }
    return out;
}

std::vector<int64_t> contiguous_strides(const Shape& shape) {
    std::vector<int64_t> strides(shape.size());
    int64_t s = 1;
    for (size_t i = shape.size(); i-- > 0;) {
        strides[i] = s;
        s *= shape[i];
    }
    return strides;
}

}  // namespace descent
