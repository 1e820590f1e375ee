// Dropout, Dropout1d, Dropout2d: check p once, at construction; forward defers to
// functional::dropout(1d, 2d).
#include "descent/nn/dropout.hpp"

#include <ostream>

#include "descent/nn/functional/dropout.hpp"

namespace descent::nn {

Dropout::Dropout(float p_) : Dropout("Dropout", p_) {}

Dropout::Dropout(std::string type_name, float p_) : Module(std::move(type_name)), p(p_) {
    DESCENT_CHECK(p >= 0.0f && p <= 1.0f, ValueError, this->type_name(),
                  "(): probability p must be in [0, 1], got ", p);
}

Tensor Dropout::forward(const Tensor& x) { return functional::dropout(x, p, is_training()); }

void Dropout::pretty_print(std::ostream& os) const { os << type_name() << "(p=" << p << ")"; }

Dropout2d::Dropout2d(float p_) : Dropout("Dropout2d", p_) {}

Tensor Dropout2d::forward(const Tensor& x) {
    DESCENT_CHECK(x.defined() && (x.dim() == 3 || x.dim() == 4), ShapeError,
                  "Dropout2d: expected input (N, C, H, W) or (C, H, W), got ",
                  x.defined() ? x.shape() : Shape{});
    return functional::dropout2d(x, p, is_training());
}

Dropout1d::Dropout1d(float p_) : Dropout("Dropout1d", p_) {}

Tensor Dropout1d::forward(const Tensor& x) {
    DESCENT_CHECK(x.defined() && (x.dim() == 2 || x.dim() == 3), ShapeError,
                  "Dropout1d: expected input (N, C, L) or (C, L), got ",
                  x.defined() ? x.shape() : Shape{});
    return functional::dropout1d(x, p, is_training());
}

}  // namespace descent::nn
