// Shape: the sizes of a tensor's dimensions, plus the rules every op shares (element count,
// broadcasting, negative dims).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <vector>

namespace descent {

// A list of dimension sizes, outermost first. Printed as (2, 3); a 0-d tensor has shape ().
struct Shape : std::vector<int64_t> {
    using std::vector<int64_t>::vector;
    Shape() = default;
    Shape(std::initializer_list<int64_t> dims) : std::vector<int64_t>(dims) {}
    int64_t ndim() const { return static_cast<int64_t>(size()); }
};

std::ostream& operator<<(std::ostream& os, const Shape& shape);

// Number of elements; throws ValueError naming `op` on a negative size or when the buffer's size
// in bytes would overflow int64 (more than 2^61 - 1 floats).
int64_t checked_numel(const Shape& shape, const char* op);

// Number of elements of a shape already known to be valid.
int64_t numel(const Shape& shape);

// NumPy broadcasting: align trailing dims, a size of 1 stretches. Throws ShapeError naming `op` and
// both shapes when they do not broadcast.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Maps dim in [-ndim, ndim) to [0, ndim); throws IndexError naming `op` and the shape otherwise.
int64_t normalize_dim(int64_t dim, const Shape& shape, const char* op);

// The shape a reduction over `dim` leaves: that dim set to 1 (keepdim) or removed.
Shape reduced_shape(const Shape& shape, int64_t dim, bool keepdim);

// Row-major strides of a contiguous tensor of this shape.
std::vector<int64_t> contiguous_strides(const Shape& shape);

}  // namespace descent
