// Activation layers: each forward is one call of the matching op; PReLU owns its weight.
#include "descent/nn/activation.hpp"

#include <ostream>

#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/activation.hpp"

namespace descent::nn {

Tensor ReLU::forward(const Tensor& x) { return relu(x); }

LeakyReLU::LeakyReLU(float negative_slope_)
    : Module("LeakyReLU"), negative_slope(negative_slope_) {}
Tensor LeakyReLU::forward(const Tensor& x) { return leaky_relu(x, negative_slope); }
void LeakyReLU::pretty_print(std::ostream& os) const {
    os << "LeakyReLU(negative_slope=" << negative_slope << ")";
}

Tensor Sigmoid::forward(const Tensor& x) { return sigmoid(x); }

Tensor Tanh::forward(const Tensor& x) { return tanh(x); }

GELU::GELU(std::string approximate_) : Module("GELU"), approximate(std::move(approximate_)) {
    DESCENT_CHECK(approximate == "none" || approximate == "tanh", ValueError,
                  "GELU(): approximate must be \"none\" or \"tanh\", got \"", approximate, "\"");
}
Tensor GELU::forward(const Tensor& x) { return functional::gelu(x, approximate); }
void GELU::pretty_print(std::ostream& os) const { os << "GELU(approximate=" << approximate << ")"; }

Softplus::Softplus(float beta_, float threshold_)
    : Module("Softplus"), beta(beta_), threshold(threshold_) {}
Tensor Softplus::forward(const Tensor& x) { return functional::softplus(x, beta, threshold); }
void Softplus::pretty_print(std::ostream& os) const {
    os << "Softplus(beta=" << beta << ", threshold=" << threshold << ")";
}

Tensor LogSigmoid::forward(const Tensor& x) { return functional::logsigmoid(x); }

Softmax::Softmax(int64_t dim_) : Module("Softmax"), dim(dim_) {}
Tensor Softmax::forward(const Tensor& x) { return softmax(x, dim); }
void Softmax::pretty_print(std::ostream& os) const { os << "Softmax(dim=" << dim << ")"; }

LogSoftmax::LogSoftmax(int64_t dim_) : Module("LogSoftmax"), dim(dim_) {}
Tensor LogSoftmax::forward(const Tensor& x) { return log_softmax(x, dim); }
void LogSoftmax::pretty_print(std::ostream& os) const { os << "LogSoftmax(dim=" << dim << ")"; }

ELU::ELU(float alpha_) : Module("ELU"), alpha(alpha_) {}
Tensor ELU::forward(const Tensor& x) { return functional::elu(x, alpha); }
void ELU::pretty_print(std::ostream& os) const { os << "ELU(alpha=" << alpha << ")"; }

Tensor SELU::forward(const Tensor& x) { return functional::selu(x); }
Tensor SiLU::forward(const Tensor& x) { return functional::silu(x); }
Tensor Mish::forward(const Tensor& x) { return functional::mish(x); }

Hardtanh::Hardtanh(float min_val_, float max_val_)
    : Module("Hardtanh"), min_val(min_val_), max_val(max_val_) {
    DESCENT_CHECK(max_val > min_val, ValueError, "Hardtanh(): max_val ", max_val,
                  " must be greater than min_val ", min_val);
}
Tensor Hardtanh::forward(const Tensor& x) { return functional::hardtanh(x, min_val, max_val); }
void Hardtanh::pretty_print(std::ostream& os) const {
    os << "Hardtanh(min_val=" << min_val << ", max_val=" << max_val << ")";
}

Tensor ReLU6::forward(const Tensor& x) { return functional::relu6(x); }
Tensor Hardswish::forward(const Tensor& x) { return functional::hardswish(x); }
Tensor Hardsigmoid::forward(const Tensor& x) { return functional::hardsigmoid(x); }

PReLU::PReLU(int64_t num_parameters_, float init)
    : Module("PReLU"), num_parameters(num_parameters_) {
    DESCENT_CHECK(num_parameters >= 1, ValueError, "PReLU(): num_parameters must be >= 1, got ",
                  num_parameters);
    weight = register_parameter("weight", full({num_parameters}, init));
}
Tensor PReLU::forward(const Tensor& x) { return functional::prelu(x, weight); }
void PReLU::pretty_print(std::ostream& os) const {
    os << "PReLU(num_parameters=" << num_parameters << ")";
}

Softmin::Softmin(int64_t dim_) : Module("Softmin"), dim(dim_) {}
Tensor Softmin::forward(const Tensor& x) { return functional::softmin(x, dim); }
void Softmin::pretty_print(std::ostream& os) const { os << "Softmin(dim=" << dim << ")"; }

Tensor Softsign::forward(const Tensor& x) { return functional::softsign(x); }
Tensor Tanhshrink::forward(const Tensor& x) { return functional::tanhshrink(x); }

}  // namespace descent::nn
