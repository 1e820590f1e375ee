// nn::init: each initialiser computes its bounds from the fans and the gain, then fills the tensor.
#include "descent/nn/init.hpp"

#include <cmath>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/error.hpp"

namespace descent::nn::init {

namespace {

void check_defined(const Tensor& t, const char* op) {
    DESCENT_CHECK(t.defined(), ValueError, op, "(): tensor is undefined");
}

// The fan a kaiming_ or xavier_ initialiser divides by: ValueError if it is 0 (an empty tensor).
int64_t fan(const Tensor& t, int64_t n, const char* op, const char* what) {
    DESCENT_CHECK(n > 0, ValueError, op, "(): ", what, " is 0 for a tensor of shape ", t.shape());
    return n;
}

int64_t kaiming_fan(const Tensor& t, FanMode mode, const char* op) {
    const auto [in, out] = calculate_fan_in_and_fan_out(t);
    return mode == FanMode::FanIn ? fan(t, in, op, "fan_in") : fan(t, out, op, "fan_out");
}

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, double param) {
    switch (nonlinearity) {
        case Nonlinearity::Tanh: return 5.0 / 3.0;
        case Nonlinearity::ReLU: return std::sqrt(2.0);
        case Nonlinearity::LeakyReLU: return std::sqrt(2.0 / (1.0 + param * param));
        case Nonlinearity::SELU: return 0.75;
        default: return 1.0;  // linear, conv, sigmoid
    }
}

std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& t) {
    check_defined(t, "calculate_fan_in_and_fan_out");
    DESCENT_CHECK(t.dim() >= 2, ValueError,
                  "calculate_fan_in_and_fan_out(): fan in and fan out need a tensor of at least ",
                  "2 dims, got ", t.shape());
    int64_t receptive = 1;
    for (int64_t d = 2; d < t.dim(); ++d) receptive *= t.size(d);
    return {t.size(1) * receptive, t.size(0) * receptive};
}

Tensor normal_(Tensor t, double mean, double std, Generator& gen) {
    check_defined(t, "normal_");
    DESCENT_CHECK(std >= 0.0, ValueError, "normal_(): std must be >= 0, got ", std);
    NoGradGuard no_grad;
    t.normal_(static_cast<float>(mean), static_cast<float>(std), gen);
    return t;
}

Tensor uniform_(Tensor t, double a, double b, Generator& gen) {
    check_defined(t, "uniform_");
    DESCENT_CHECK(a <= b, ValueError, "uniform_(): a = ", a, " must be <= b = ", b);
    NoGradGuard no_grad;
    t.uniform_(static_cast<float>(a), static_cast<float>(b), gen);
    return t;
}

Tensor constant_(Tensor t, double value) {
    check_defined(t, "constant_");
    NoGradGuard no_grad;
    t.fill_(static_cast<float>(value));
    return t;
}

Tensor zeros_(Tensor t) { return constant_(std::move(t), 0.0); }
Tensor ones_(Tensor t) { return constant_(std::move(t), 1.0); }

Tensor xavier_uniform_(Tensor t, double gain, Generator& gen) {
    const auto [in, out] = calculate_fan_in_and_fan_out(t);
    const int64_t n = fan(t, in + out, "xavier_uniform_", "fan_in + fan_out");
    const double bound = gain * std::sqrt(6.0 / static_cast<double>(n));
    return uniform_(std::move(t), -bound, bound, gen);
}

Tensor xavier_normal_(Tensor t, double gain, Generator& gen) {
    const auto [in, out] = calculate_fan_in_and_fan_out(t);
    const int64_t n = fan(t, in + out, "xavier_normal_", "fan_in + fan_out");
    return normal_(std::move(t), 0.0, gain * std::sqrt(2.0 / static_cast<double>(n)), gen);
}

Tensor kaiming_uniform_(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity,
                        Generator& gen) {
    const int64_t n = kaiming_fan(t, mode, "kaiming_uniform_");
    const double std = calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(n));
    const double bound = std::sqrt(3.0) * std;
    return uniform_(std::move(t), -bound, bound, gen);
}

Tensor kaiming_normal_(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity,
                       Generator& gen) {
    const int64_t n = kaiming_fan(t, mode, "kaiming_normal_");
    const double std = calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(n));
    return normal_(std::move(t), 0.0, std, gen);
}

}  // namespace descent::nn::init
