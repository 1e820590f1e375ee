// Flatten and Unflatten: argument checks at construction, forward through descent::flatten and
// reshape.
#include "descent/nn/flatten.hpp"

#include <ostream>

#include "descent/autograd/ops/shape.hpp"

namespace descent::nn {

Flatten::Flatten(int64_t start_dim_, int64_t end_dim_)
    : Module("Flatten"), start_dim(start_dim_), end_dim(end_dim_) {
    DESCENT_CHECK((start_dim < 0) != (end_dim < 0) || start_dim <= end_dim, ValueError,
                  "Flatten(): start_dim ", start_dim, " comes after end_dim ", end_dim);
}

Tensor Flatten::forward(const Tensor& x) { return flatten(x, start_dim, end_dim); }

void Flatten::pretty_print(std::ostream& os) const {
    os << "Flatten(start_dim=" << start_dim << ", end_dim=" << end_dim << ")";
}

namespace {
Shape as_shape(const std::vector<int64_t>& sizes) { return Shape(sizes.begin(), sizes.end()); }
}  // namespace

Unflatten::Unflatten(int64_t dim_, std::vector<int64_t> sizes_)
    : Module("Unflatten"), dim(dim_), sizes(std::move(sizes_)) {
    DESCENT_CHECK(!sizes.empty(), ValueError, "Unflatten(): sizes must not be empty");
    int64_t inferred = 0;
    for (int64_t s : sizes) {
        DESCENT_CHECK(s >= -1, ValueError, "Unflatten(): sizes ", as_shape(sizes),
                      " holds a negative size other than -1");
        inferred += s == -1;
    }
    DESCENT_CHECK(inferred <= 1, ValueError, "Unflatten(): sizes ", as_shape(sizes),
                  " may hold at most one -1");
}

Tensor Unflatten::forward(const Tensor& x) {
    const int64_t n = x.dim();
    DESCENT_CHECK(dim >= -n && dim < n, IndexError, "Unflatten(): dim ", dim,
                  " is out of range for input ", x.shape());
    const size_t d = static_cast<size_t>(dim < 0 ? dim + n : dim);
    const int64_t size = x.size(static_cast<int64_t>(d));
    int64_t known = 1, unknown = -1;
    for (size_t i = 0; i < sizes.size(); ++i)
        if (sizes[i] == -1)
            unknown = static_cast<int64_t>(i);
        else
            known *= sizes[i];
    Shape out_sizes(sizes.begin(), sizes.end());
    if (unknown >= 0) {
        DESCENT_CHECK(known > 0 && size % known == 0, ShapeError, "Unflatten(): sizes ",
                      as_shape(sizes), " do not divide dim ", dim, " of input ", x.shape());
        out_sizes[static_cast<size_t>(unknown)] = size / known;
    } else {
        DESCENT_CHECK(known == size, ShapeError, "Unflatten(): sizes ", as_shape(sizes),
                      " multiply to ", known, ", not to dim ", dim, " of input ", x.shape());
    }
    Shape shape(x.shape().begin(), x.shape().begin() + static_cast<std::ptrdiff_t>(d));
    shape.insert(shape.end(), out_sizes.begin(), out_sizes.end());
    shape.insert(shape.end(), x.shape().begin() + static_cast<std::ptrdiff_t>(d) + 1,
                 x.shape().end());
    return reshape(x, shape);
}

void Unflatten::pretty_print(std::ostream& os) const {
    os << "Unflatten(dim=" << dim << ", unflattened_size=" << as_shape(sizes) << ")";
}

}  // namespace descent::nn
