// layer_norm as mean, var, rsqrt and broadcasting arithmetic: no node of its own, so its gradient
// (and the gradient of that) comes from the ops it is made of.
#include "descent/nn/functional/layer_norm.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/reduce_dims.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"

namespace descent::nn::functional {

Tensor layer_norm(const Tensor& x, const std::vector<int64_t>& normalized_shape,
                  const Tensor& weight, const Tensor& bias, double eps, CallSite) {
    DESCENT_CHECK(x.defined(), ValueError, "layer_norm(): input is an undefined tensor");
    DESCENT_CHECK(x.is_floating_point(), TypeError, "layer_norm(): expected a floating input, got ",
                  x.dtype());
    const Shape norm(normalized_shape.begin(), normalized_shape.end());
    const int64_t k = norm.ndim();
    const Shape& xs = x.shape();
    bool trailing = k > 0 && xs.ndim() >= k;
    for (int64_t i = 0; trailing && i < k; ++i) trailing = xs[xs.ndim() - k + i] == norm[i];
    DESCENT_CHECK(trailing, ShapeError, "layer_norm(): input of shape ", xs,
                  " does not end with normalized_shape ", norm);
    DESCENT_CHECK(!weight.defined() || weight.shape() == norm, ShapeError,
                  "layer_norm(): weight of shape ", weight.defined() ? weight.shape() : Shape{},
                  " != normalized_shape ", norm);
    DESCENT_CHECK(!bias.defined() || bias.shape() == norm, ShapeError,
                  "layer_norm(): bias of shape ", bias.defined() ? bias.shape() : Shape{},
                  " != normalized_shape ", norm);
    std::vector<int64_t> dims;
    for (int64_t i = xs.ndim() - k; i < xs.ndim(); ++i) dims.push_back(i);
    // x: (*, norm); mean, var: (*, 1...) broadcast back over the normalised dims
    const Tensor mu = mean(x, dims, /*keepdim=*/true);
    const Tensor v = var(x, dims, /*correction=*/0, /*keepdim=*/true);
    Tensor y = (x - mu) * rsqrt(v + eps);
    if (weight.defined()) y = y * weight;
    if (bias.defined()) y = y + bias;
    return y;
}

}  // namespace descent::nn::functional
