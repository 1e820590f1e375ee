// GELU and softplus: forward as one kernel pass, backward in descent's ops beside it; logsigmoid
// composed from softplus.
#include "descent/nn/functional/activation.hpp"

#include <cmath>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/elementwise.hpp"
#include "descent/core/kernels/nn.hpp"

namespace descent::nn::functional {

using autograd::Node;
using autograd::detail::record;

namespace {

constexpr float sqrt1_2 = 0.70710678118654752f;      // 1/√2
constexpr float inv_sqrt2pi = 0.39894228040143268f;  // 1/√(2π)
constexpr float tanh_k = 0.79788456080286536f;       // √(2/π)
constexpr float tanh_c = 0.044715f;

}  // namespace

struct GeluBackward final : Node {
    // saved: x
    bool tanh_form = false;
    const char* name() const override { return "GeluBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor gelu(const Tensor& x_, const std::string& approximate, CallSite) {
    const Tensor x = x_.contiguous();  // kernels read row-major buffers
    DESCENT_CHECK(approximate == "none" || approximate == "tanh", ValueError,
                  "gelu(): approximate must be \"none\" or \"tanh\", got \"", approximate, "\"");
    DESCENT_CHECK(x.defined(), ValueError, "gelu(): input is an undefined tensor");
    const bool tanh_form = approximate == "tanh";
    Tensor y = ops_detail::visit_floating(x.dtype(), "gelu", [&](auto tag) {
        using T = decltype(tag);
        Tensor o = make_tensor(x.shape(), x.dtype());
        kernels::gelu(x.data<T>(), x.numel(), tanh_form, o.data<T>());
        return o;
    });
    if (auto node = record<GeluBackward>(y, x)) {
        node->save_for_backward({x});
        node->tanh_form = tanh_form;
    }
    return y;
}

// y = x·Φ(x), or its tanh approximation:  exact: dL/dx = g · (Φ(x) + x·φ(x)),
// Φ(x) = (1 + erf(x/√2))/2, φ(x) = exp(-x²/2)/√(2π);  tanh: dL/dx = g · (½(1 + t) +
// ½x(1 - t²)·k(1 + 3c·x²)), t = tanh(k(x + c·x³))
std::vector<Tensor> GeluBackward::apply(Tensor g) {
    const Tensor xv = saved(0), x2 = xv * xv;
    if (!tanh_form) {
        const Tensor cdf = (erf(xv * sqrt1_2) + 1.0f) * 0.5f;
        const Tensor pdf = exp(x2 * -0.5f) * inv_sqrt2pi;
        return {g * (cdf + xv * pdf)};
    }
    const Tensor t = tanh((xv + x2 * xv * tanh_c) * tanh_k);
    const Tensor du = (x2 * (3.0f * tanh_c) + 1.0f) * tanh_k;
    return {g * ((t + 1.0f) * 0.5f + xv * (1.0f - t * t) * du * 0.5f)};
}

struct SoftplusBackward final : Node {
    // saved: x
    float beta = 1.0f, threshold = 20.0f;
    const char* name() const override { return "SoftplusBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor softplus(const Tensor& x_, float beta, float threshold, CallSite) {
    const Tensor x = x_.contiguous();  // kernels read row-major buffers
    DESCENT_CHECK(x.defined(), ValueError, "softplus(): input is an undefined tensor");
    Tensor y = ops_detail::visit_floating(x.dtype(), "softplus", [&](auto tag) {
        using T = decltype(tag);
        Tensor o = make_tensor(x.shape(), x.dtype());
        kernels::unary(kernels::Unary::Softplus, x.data<T>(), x.numel(), o.data<T>(), T(beta),
                       T(threshold));
        return o;
    });
    if (auto node = record<SoftplusBackward>(y, x)) {
        node->save_for_backward({x});
        node->beta = beta;
        node->threshold = threshold;
    }
    return y;
}

// y = log(1 + exp(βx))/β, or x above the threshold:  dL/dx = βx > threshold ? g : g · σ(βx)
std::vector<Tensor> SoftplusBackward::apply(Tensor g) {
    const Tensor bx = saved(0) * beta;
    return {where(bx > threshold, g, g * sigmoid(bx))};  // the mask is a constant, not recorded
}

Tensor logsigmoid(const Tensor& x, CallSite) {
    DESCENT_CHECK(x.defined(), ValueError, "logsigmoid(): input is an undefined tensor");
    return -softplus(-x);  // log σ(x) = -log(1 + exp(-x)); its gradient, σ(-x), is softplus's
}

}  // namespace descent::nn::functional
