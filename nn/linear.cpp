// Linear: registration, PyTorch's default initialisation, forward through functional::linear.
#include "descent/nn/linear.hpp"

#include <cmath>
#include <ostream>

#include "descent/core/factory.hpp"
#include "descent/nn/functional/linear.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

Linear::Linear(int64_t in_features_, int64_t out_features_, bool with_bias)
    : Module("Linear"), in_features(in_features_), out_features(out_features_) {
    DESCENT_CHECK(in_features > 0 && out_features > 0, ValueError,
                  "Linear(): in_features and out_features must be > 0, got ", in_features, " and ",
                  out_features);
    weight = register_parameter("weight", empty({out_features, in_features}));
    if (with_bias) bias = register_parameter("bias", empty({out_features}));
    reset_parameters();
}

void Linear::reset_parameters() {
    init::kaiming_uniform_(weight, std::sqrt(5.0));  // = U(-1/√in, 1/√in)
    if (bias.defined()) {
        const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
        init::uniform_(bias, -bound, bound);
    }
}

Tensor Linear::forward(const Tensor& x) { return functional::linear(x, weight, bias); }

void Linear::pretty_print(std::ostream& os) const {
    os << "Linear(in_features=" << in_features << ", out_features=" << out_features
       << ", bias=" << (bias.defined() ? "true" : "false") << ")";
}

}  // namespace descent::nn
