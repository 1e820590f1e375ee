// Dropout: checks p once, at construction; forward defers to functional::dropout.
#include "descent/nn/dropout.hpp"

#include <ostream>

#include "descent/nn/functional/dropout.hpp"

namespace descent::nn {

Dropout::Dropout(float p_) : Module("Dropout"), p(p_) {
    DESCENT_CHECK(p >= 0.0f && p <= 1.0f, ValueError,
                  "Dropout(): probability p must be in [0, 1], got ", p);
}

Tensor Dropout::forward(const Tensor& x) { return functional::dropout(x, p, is_training()); }

void Dropout::pretty_print(std::ostream& os) const { os << "Dropout(p=" << p << ")"; }

}  // namespace descent::nn
