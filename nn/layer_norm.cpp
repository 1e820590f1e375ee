// LayerNorm: checks once at construction, registers weight and bias, defers to
// functional::layer_norm.
#include "descent/nn/layer_norm.hpp"

#include <ostream>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/layer_norm.hpp"

namespace descent::nn {

LayerNorm::LayerNorm(std::vector<int64_t> shape, double eps_, bool affine)
    : Module("LayerNorm"),
      normalized_shape(std::move(shape)),
      eps(eps_),
      elementwise_affine(affine) {
    const Shape s(normalized_shape.begin(), normalized_shape.end());
    bool positive = !s.empty();
    for (int64_t n : s) positive = positive && n > 0;
    DESCENT_CHECK(positive, ValueError,
                  "LayerNorm(): normalized_shape must be non-empty with sizes > 0, got ", s);
    DESCENT_CHECK(eps >= 0, ValueError, "LayerNorm(): eps must be >= 0, got ", eps);
    if (affine) {
        weight = register_parameter("weight", empty(s));
        bias = register_parameter("bias", empty(s));
        reset_parameters();
    }
}

void LayerNorm::reset_parameters() {
    if (!elementwise_affine) return;
    NoGradGuard no_grad;
    weight.fill_(1.0);
    bias.fill_(0.0);
}

Tensor LayerNorm::forward(const Tensor& x) {
    return functional::layer_norm(x, normalized_shape, weight, bias, eps);
}

void LayerNorm::pretty_print(std::ostream& os) const {
    os << "LayerNorm(" << Shape(normalized_shape.begin(), normalized_shape.end()) << ", eps=" << eps
       << ", elementwise_affine=" << (elementwise_affine ? "true" : "false") << ")";
}

}  // namespace descent::nn
