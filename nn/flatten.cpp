// Flatten: argument check at construction, forward through descent::flatten.
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

}  // namespace descent::nn
