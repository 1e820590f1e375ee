// Activations beyond autograd/ops' relu, sigmoid and tanh: GELU, softplus, logsigmoid.
// (relu, leaky_relu, sigmoid, tanh, erf, softmax and log_softmax are descent:: ops already.)
#pragma once

#include <string>

#include "descent/autograd/ops/unary.hpp"
#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// erf is the core op descent::erf (as torch.erf); this name is kept for code that called it here.
using descent::erf;

// GELU(x) = x·Φ(x), Φ the standard normal CDF ("none": exact, through erf), or PyTorch's "tanh"
// approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). One node; its backward is written
// with descent's ops, so twice differentiable. ValueError for another `approximate`.
Tensor gelu(const Tensor& x, const std::string& approximate = "none", CallSite = {});

// softplus(x) = log(1 + exp(β·x))/β, and x itself where β·x > threshold (PyTorch's semantics,
// which also keep exp from overflowing). Twice differentiable.
Tensor softplus(const Tensor& x, float beta = 1.0f, float threshold = 20.0f, CallSite = {});

// log σ(x), computed as -softplus(-x): finite for every finite x (x itself below -20).
Tensor logsigmoid(const Tensor& x, CallSite = {});

}  // namespace descent::nn::functional
