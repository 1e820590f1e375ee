// ELU, SELU, SiLU, Mish, the hard activations, PReLU, softmin, softsign and tanhshrink, composed
// from descent's differentiable ops: no node of their own, so their second derivatives come from
// the ops', arranged (a clamp, or a `where` picking a branch) so that the gradient at each kink is
// PyTorch's.
#include <algorithm>
#include <limits>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/logical.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/activation.hpp"

namespace descent::nn::functional {

namespace {

void check_input(const Tensor& x, const char* op) {
    DESCENT_CHECK(x.defined(), ValueError, op, "(): input is an undefined tensor");
    DESCENT_CHECK(x.is_floating_point(), TypeError, op, "(): expected a floating tensor, got ",
                  x.dtype());
}

// `value` as a 0-d tensor of x's dtype (a branch of a `where`).
Tensor constant(const Tensor& x, double value) { return scalar_tensor(value, x.dtype()); }

// PyTorch's SELU constants, in double (a C++ double beside a float32 tensor stays float32).
constexpr double selu_alpha = 1.6732632423543772848170429916717;
constexpr double selu_scale = 1.0507009873554804934193349852946;

// max(x, 0) + α·expm1(min(x, 0)): at 0, relu passes 0 and clamp passes the gradient, so the
// gradient there is α, PyTorch's; expm1 never sees a large x (no overflow, no 0·inf gradient). One
// pass per op, no `where` (which costs ~16 multiplies per element here).
Tensor elu_of(const Tensor& x, double alpha) {
    const float inf = std::numeric_limits<float>::infinity();
    return relu(x) + expm1(clamp(x, -inf, 0.0f)) * alpha;
}

}  // namespace

Tensor elu(const Tensor& x, float alpha, CallSite) {
    check_input(x, "elu");
    return elu_of(x, alpha);
}

Tensor selu(const Tensor& x, CallSite) {
    check_input(x, "selu");
    return elu_of(x, selu_alpha) * selu_scale;
}

Tensor silu(const Tensor& x, CallSite) {
    check_input(x, "silu");
    return x * sigmoid(x);
}

Tensor mish(const Tensor& x, CallSite) {
    check_input(x, "mish");
    return x * tanh(softplus(x));
}

// Inside (min, max): x itself (gradient g); at or beyond a bound: the clamped value as a constant
// (gradient 0), which is PyTorch's hardtanh_backward.
Tensor hardtanh(const Tensor& x, float min_val, float max_val, CallSite) {
    check_input(x, "hardtanh");
    DESCENT_CHECK(!(min_val > max_val), ValueError, "hardtanh(): min_val ", min_val,
                  " is greater than max_val ", max_val);
    const Tensor inside = logical_and(x > min_val, x < max_val);
    return where(inside, x, clamp(x.detach(), min_val, max_val));
}

Tensor relu6(const Tensor& x, CallSite) {
    check_input(x, "relu6");
    return hardtanh(x, 0.0f, 6.0f);
}

// x·clamp(x + 3, 0, 6)/6 (PyTorch's formula). clamp passes the gradient at its bounds, so the
// gradient is 0 below -3, x/3 + ½ on [-3, 3] (-½ and 1.5 at the ends, as PyTorch), 1 above.
Tensor hardswish(const Tensor& x, CallSite) {
    check_input(x, "hardswish");
    return x * clamp(x + 3.0f, 0.0f, 6.0f) / 6.0f;
}

// x <= -3: 0;  x >= 3: 1;  else x/6 + ½ (the bounds themselves get gradient 0, as PyTorch).
Tensor hardsigmoid(const Tensor& x, CallSite) {
    check_input(x, "hardsigmoid");
    return where(x <= -3.0f, constant(x, 0.0), where(x >= 3.0f, constant(x, 1.0), x / 6.0f + 0.5f));
}

// x > 0 ? x : w·x with w laid along dim 1; dL/dw = Σ g·x over x <= 0 (where's gradient).
Tensor prelu(const Tensor& x, const Tensor& weight, CallSite) {
    check_input(x, "prelu");
    DESCENT_CHECK(weight.defined(), ValueError, "prelu(): weight is an undefined tensor");
    DESCENT_CHECK(weight.dim() <= 1, ShapeError, "prelu(): weight must be 0-d or 1-D, got shape ",
                  weight.shape());
    const int64_t channels = x.dim() >= 2 ? x.size(1) : 1;
    const int64_t w = weight.numel();
    DESCENT_CHECK(w == 1 || w == channels, ShapeError, "prelu(): weight has ", w,
                  " parameters but input ", x.shape(), " has ", channels,
                  " channel(s) (dim 1); expected 1 or ", channels);
    Shape along(static_cast<size_t>(std::max<int64_t>(x.dim(), 1)), 1);
    if (w > 1) along[1] = w;
    const Tensor wb = reshape(weight, x.dim() == 0 ? Shape{} : along);
    return where(x > 0.0f, x, wb * x);
}

Tensor softmin(const Tensor& x, int64_t dim, CallSite) {
    check_input(x, "softmin");
    return softmax(-x, dim);
}

// d/dx = 1/(1 + |x|)², 1 at 0 (abs's gradient there is 0).
Tensor softsign(const Tensor& x, CallSite) {
    check_input(x, "softsign");
    return x / (abs(x) + 1.0f);
}

Tensor tanhshrink(const Tensor& x, CallSite) {
    check_input(x, "tanhshrink");
    return x - tanh(x);
}

}  // namespace descent::nn::functional
