// nn::init: fill a tensor in place with the standard initial distributions, as torch.nn.init. Each
// runs under NoGradGuard (so it works on parameters), draws from `gen` (the seedable default
// generator unless given), and returns the tensor.
#pragma once

#include <utility>

#include "descent/core/random.hpp"
#include "descent/core/tensor.hpp"

namespace descent::nn::init {

enum class FanMode { FanIn, FanOut };
enum class Nonlinearity { Linear, Conv1D, Conv2D, Conv3D, Sigmoid, Tanh, ReLU, LeakyReLU, SELU };

// The recommended gain for a nonlinearity: 1 for linear, conv and sigmoid, 5/3 for tanh, √2 for
// relu, √(2/(1 + param²)) for leaky_relu (param = its negative slope), 3/4 for selu.
double calculate_gain(Nonlinearity nonlinearity, double param = 0.01);

// (fan_in, fan_out) of a weight (out, in, *kernel): in·∏kernel and out·∏kernel. ValueError for
// fewer than 2 dims.
std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& t);

Tensor normal_(Tensor t, double mean = 0.0, double std = 1.0, Generator& gen = default_generator());
Tensor uniform_(Tensor t, double a = 0.0, double b = 1.0, Generator& gen = default_generator());
Tensor constant_(Tensor t, double value);
Tensor zeros_(Tensor t);
Tensor ones_(Tensor t);

// U(-bound, bound), bound = gain·√(6/(fan_in + fan_out)) (Glorot & Bengio)
Tensor xavier_uniform_(Tensor t, double gain = 1.0, Generator& gen = default_generator());
// N(0, std²), std = gain·√(2/(fan_in + fan_out))
Tensor xavier_normal_(Tensor t, double gain = 1.0, Generator& gen = default_generator());
// U(-bound, bound), bound = √3·gain/√fan, gain = calculate_gain(nonlinearity, a) (He et al.)
Tensor kaiming_uniform_(Tensor t, double a = 0.0, FanMode mode = FanMode::FanIn,
                        Nonlinearity nonlinearity = Nonlinearity::LeakyReLU,
                        Generator& gen = default_generator());
// N(0, std²), std = gain/√fan
Tensor kaiming_normal_(Tensor t, double a = 0.0, FanMode mode = FanMode::FanIn,
                       Nonlinearity nonlinearity = Nonlinearity::LeakyReLU,
                       Generator& gen = default_generator());

}  // namespace descent::nn::init
