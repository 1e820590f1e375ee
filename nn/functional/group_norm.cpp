// group_norm (and instance_norm, its one-channel-per-group case) as reshape, mean, var, rsqrt and
// broadcasting arithmetic: no node of its own, so every order of derivative comes from those ops.
#include "descent/nn/functional/group_norm.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/reduce_dims.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"

namespace descent::nn::functional {

namespace detail {

Tensor group_norm(const char* who, const Tensor& x, int64_t G, const Tensor& weight,
                  const Tensor& bias, double eps) {
    DESCENT_CHECK(x.defined(), ValueError, who, ": input is an undefined tensor");
    DESCENT_CHECK(x.is_floating_point(), TypeError, who, ": expected a floating input, got ",
                  x.dtype());
    const Shape& xs = x.shape();
    DESCENT_CHECK(xs.ndim() >= 2, ShapeError, who, ": expected input (N, C, *), got ", xs);
    const int64_t N = xs[0], C = xs[1];
    DESCENT_CHECK(G > 0 && C % G == 0, ValueError, who, ": num_groups ", G,
                  " must be > 0 and divide the input's channels ", C, " (input ", xs, ")");
    DESCENT_CHECK(eps >= 0, ValueError, who, ": eps must be >= 0, got ", eps);
    DESCENT_CHECK(!weight.defined() || weight.shape() == Shape{C}, ShapeError, who,
                  ": expected weight (", C, "), got ", weight.defined() ? weight.shape() : Shape{});
    DESCENT_CHECK(!bias.defined() || bias.shape() == Shape{C}, ShapeError, who, ": expected bias (",
                  C, "), got ", bias.defined() ? bias.shape() : Shape{});
    // xg: (N, G, C/G · positions); mean, var: (N, G, 1) broadcast back over each group
    const Tensor xg = x.reshape({N, G, -1});
    const Tensor mu = mean(xg, {2}, /*keepdim=*/true);
    const Tensor v = var(xg, std::vector<int64_t>{2}, /*correction=*/0, /*keepdim=*/true);
    Tensor y = ((xg - mu) * rsqrt(v + eps)).reshape(xs);
    // weight, bias: (C) as (1, C, 1, ...) against (N, C, *)
    Shape per_channel(static_cast<size_t>(xs.ndim()), int64_t{1});
    per_channel[1] = C;
    if (weight.defined()) y = y * weight.reshape(per_channel);
    if (bias.defined()) y = y + bias.reshape(per_channel);
    return y;
}

}  // namespace detail

Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias,
                  double eps, CallSite) {
    return detail::group_norm("group_norm()", input, num_groups, weight, bias, eps);
}

Tensor instance_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, double eps,
                     CallSite) {
    DESCENT_CHECK(input.defined() && input.dim() >= 2, ShapeError,
                  "instance_norm(): expected input (N, C, *), got ",
                  input.defined() ? input.shape() : Shape{});
    return detail::group_norm("instance_norm()", input, input.shape()[1], weight, bias, eps);
}

}  // namespace descent::nn::functional
