// Activation layers: each forward is one call of the matching op.
#include "descent/nn/activation.hpp"

#include <ostream>

#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/ops/unary.hpp"
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

}  // namespace descent::nn
