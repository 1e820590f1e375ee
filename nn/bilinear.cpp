// Bilinear: registration, PyTorch's initialisation, forward through functional::bilinear.
#include "descent/nn/bilinear.hpp"

#include <cmath>
#include <ostream>

#include "descent/core/factory.hpp"
#include "descent/nn/functional/bilinear.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

Bilinear::Bilinear(int64_t in1, int64_t in2, int64_t out, bool with_bias)
    : Module("Bilinear"), in1_features(in1), in2_features(in2), out_features(out) {
    DESCENT_CHECK(in1 > 0 && in2 > 0 && out > 0, ValueError,
                  "Bilinear(): in1_features, in2_features and out_features must be > 0, got ", in1,
                  ", ", in2, " and ", out);
    weight = register_parameter("weight", empty({out, in1, in2}));
    if (with_bias) bias = register_parameter("bias", empty({out}));
    reset_parameters();
}

void Bilinear::reset_parameters() {
    // PyTorch's: bound = 1/√in1 for both (weight.size(1) is in1_features)
    const double bound = 1.0 / std::sqrt(static_cast<double>(in1_features));
    init::uniform_(weight, -bound, bound);
    if (bias.defined()) init::uniform_(bias, -bound, bound);
}

Tensor Bilinear::forward(const Tensor& input1, const Tensor& input2) {
    return functional::detail::bilinear("Bilinear", input1, input2, weight, bias);
}

Tensor Bilinear::forward(const Tensor&) {
    throw ValueError("Bilinear: takes two inputs; call forward(input1, input2)");
}

void Bilinear::pretty_print(std::ostream& os) const {
    os << "Bilinear(in1_features=" << in1_features << ", in2_features=" << in2_features
       << ", out_features=" << out_features << ", bias=" << (bias.defined() ? "true" : "false")
       << ")";
}

}  // namespace descent::nn
