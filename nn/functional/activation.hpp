// The activations under torch.nn.functional's names: GELU, softplus, logsigmoid (activation.cpp);
// ELU, SELU, SiLU, Mish, the hard ones, PReLU, softmin, softsign, tanhshrink
// (activation_composed.cpp); and aliases for the activations that are descent:: ops (relu, sigmoid,
// tanh, softmax, ...).
#pragma once

#include <cstdint>
#include <string>

#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// F.relu, F.leaky_relu, F.sigmoid, F.tanh, F.softmax(x, dim), F.log_softmax(x, dim): the
// descent:: ops themselves.
using descent::leaky_relu;
using descent::log_softmax;
using descent::relu;
using descent::sigmoid;
using descent::softmax;
using descent::tanh;

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

// The activations below are compositions of descent's differentiable ops (so twice
// differentiable), arranged so that the gradient at each kink is PyTorch's. Each takes a floating
// tensor: ValueError if undefined, TypeError naming the dtype otherwise.

// x if x > 0, else α·(exp(x) - 1); gradient α·exp(x) for x <= 0 (α at 0, as PyTorch).
Tensor elu(const Tensor& x, float alpha = 1.0f, CallSite = {});
// scale·elu(x, α) with PyTorch's constants α = 1.6732632423543772, scale = 1.0507009873554805.
Tensor selu(const Tensor& x, CallSite = {});
// x·σ(x) (also called swish).
Tensor silu(const Tensor& x, CallSite = {});
// x·tanh(softplus(x)).
Tensor mish(const Tensor& x, CallSite = {});
// clamp(x, min_val, max_val) with gradient 0 at both bounds (PyTorch's hardtanh_backward, where
// clamp passes it). ValueError if min_val > max_val.
Tensor hardtanh(const Tensor& x, float min_val = -1.0f, float max_val = 1.0f, CallSite = {});
// min(max(x, 0), 6) = hardtanh(x, 0, 6).
Tensor relu6(const Tensor& x, CallSite = {});
// x·relu6(x + 3)/6; gradient 0 below -3, x/3 + ½ on [-3, 3], 1 above (PyTorch's kinks).
Tensor hardswish(const Tensor& x, CallSite = {});
// relu6(x + 3)/6; gradient 1/6 strictly inside (-3, 3), 0 elsewhere.
Tensor hardsigmoid(const Tensor& x, CallSite = {});
// x if x > 0, else w·x, with w of one element or one per channel (dim 1 of x, or 1 channel when x
// has fewer than 2 dims): ShapeError otherwise, or if w is not 0-d or 1-D. Differentiable in w.
Tensor prelu(const Tensor& x, const Tensor& weight, CallSite = {});
// softmax(-x, dim).
Tensor softmin(const Tensor& x, int64_t dim, CallSite = {});
// x / (1 + |x|).
Tensor softsign(const Tensor& x, CallSite = {});
// x - tanh(x).
Tensor tanhshrink(const Tensor& x, CallSite = {});

}  // namespace descent::nn::functional
