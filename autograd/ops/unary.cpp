// Forward and backward of the elementwise math ops, side by side. Ops whose derivative is cheapest
// from their result (exp, sqrt, tanh, sigmoid, relu, expm1, rsqrt, reciprocal) save the output;
// the others save the input.
#include "descent/autograd/ops/unary.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;
using kernels::Binary;
using kernels::Unary;
using ops_detail::unary_forward;

namespace {

// A constant (non-differentiable) elementwise factor computed from a saved tensor.
Tensor mask(Binary cmp, const Tensor& x, float value) {
    Tensor m = make_tensor(x.shape());
    ops_detail::binary_into(cmp, x, scalar_tensor(value), m);
    return m;
}

// ---- relu -----------------------------------------------------------------------------------
// relu's backward, g unless out <= 0 (PyTorch's threshold_backward, which lets a NaN pass g), is
// itself an op: linear in g, so its own backward is the same masking of the incoming gradient.
// One fused pass instead of a mask and a multiply.
struct ReluGradBackward final : Node {
    // saved: out (relu's)
    const char* name() const override { return "ReluGradBackward"; }
    // r = g * [!(out <= 0)]:  dL/dg = gg * [!(out <= 0)]   (the mask is piecewise constant in out)
    std::vector<Tensor> apply(Tensor gg) override;
};

Tensor relu_grad(const Tensor& g, const Tensor& out) {
    Tensor r = make_tensor(g.shape(), promote_types(g.dtype(), out.dtype()));
    ops_detail::binary_into(Binary::GradUnlessNonPositive, g, out, r);
    if (auto node = record<ReluGradBackward>(r, g)) node->save_for_backward({out});
    return r;
}

std::vector<Tensor> ReluGradBackward::apply(Tensor gg) { return {relu_grad(gg, saved(0))}; }

// Records a one-input node that saves `keep` (the input or the output) as saved(0).
template <class NodeT>
std::shared_ptr<NodeT> record_saving(Tensor& out, const Tensor& a, const Tensor& keep) {
    auto node = record<NodeT>(out, a);
    if (node) node->save_for_backward({keep});
    return node;
}

enum class Keep { Input, Output };  // the tensor a backward needs

// out = f(a), recording NodeT with the input or the output saved.
template <class NodeT>
Tensor unary_saving(Unary f, const Tensor& a, const char* op, Keep keep) {
    Tensor out = unary_forward(f, a, op);
    record_saving<NodeT>(out, a, keep == Keep::Output ? out : a);
    return out;
}

}  // namespace

// ---- exp ------------------------------------------------------------------------------------
struct ExpBackward final : Node {
    const char* name() const override { return "ExpBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor exp(const Tensor& a, CallSite) {
    return unary_saving<ExpBackward>(Unary::Exp, a, "exp", Keep::Output);
}

// out = exp(a):  dL/da = g * out
std::vector<Tensor> ExpBackward::apply(Tensor g) { return {mul(g, saved(0))}; }

// ---- log ------------------------------------------------------------------------------------
struct LogBackward final : Node {
    const char* name() const override { return "LogBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor log(const Tensor& a, CallSite) {
    return unary_saving<LogBackward>(Unary::Log, a, "log", Keep::Input);
}

// out = log(a):  dL/da = g / a
std::vector<Tensor> LogBackward::apply(Tensor g) { return {div(g, saved(0))}; }

// ---- sqrt -----------------------------------------------------------------------------------
struct SqrtBackward final : Node {
    const char* name() const override { return "SqrtBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor sqrt(const Tensor& a, CallSite) {
    return unary_saving<SqrtBackward>(Unary::Sqrt, a, "sqrt", Keep::Output);
}

// out = sqrt(a):  dL/da = g / (2 out)
std::vector<Tensor> SqrtBackward::apply(Tensor g) {
    return {div(g, mul(saved(0), scalar_tensor(2.0f)))};
}

// ---- abs and sign ---------------------------------------------------------------------------
struct AbsBackward final : Node {
    const char* name() const override { return "AbsBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor abs(const Tensor& a, CallSite) {
    return unary_saving<AbsBackward>(Unary::Abs, a, "abs", Keep::Input);
}

// out = |a|:  dL/da = g * sign(a)
std::vector<Tensor> AbsBackward::apply(Tensor g) { return {mul(g, sign(saved(0)))}; }

struct SignBackward final : Node {
    const char* name() const override { return "SignBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor sign(const Tensor& a, CallSite) {
    Tensor out = unary_forward(Unary::Sign, a, "sign");
    record<SignBackward>(out, a);
    return out;
}

// out = sign(a) is piecewise constant:  dL/da = 0
std::vector<Tensor> SignBackward::apply(Tensor g) { return {zeros(g.shape())}; }

// ---- tanh -----------------------------------------------------------------------------------
struct TanhBackward final : Node {
    const char* name() const override { return "TanhBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor tanh(const Tensor& a, CallSite) {
    return unary_saving<TanhBackward>(Unary::Tanh, a, "tanh", Keep::Output);
}

// out = tanh(a):  dL/da = g * (1 - out²)
std::vector<Tensor> TanhBackward::apply(Tensor g) {
    const Tensor y = saved(0);
    return {mul(g, 1.0f - mul(y, y))};
}

// ---- sigmoid --------------------------------------------------------------------------------
struct SigmoidBackward final : Node {
    const char* name() const override { return "SigmoidBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor sigmoid(const Tensor& a, CallSite) {
    return unary_saving<SigmoidBackward>(Unary::Sigmoid, a, "sigmoid", Keep::Output);
}

// out = σ(a):  dL/da = g * out * (1 - out)
std::vector<Tensor> SigmoidBackward::apply(Tensor g) {
    const Tensor y = saved(0);
    return {mul(g, mul(y, 1.0f - y))};
}

struct ReluBackward final : Node {
    const char* name() const override { return "ReluBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor relu(const Tensor& a, CallSite) {
    return unary_saving<ReluBackward>(Unary::Relu, a, "relu", Keep::Output);
}

// out = max(a, 0):  dL/da = g * [!(out <= 0)]   (0 at the kink, g at NaN, as PyTorch)
std::vector<Tensor> ReluBackward::apply(Tensor g) { return {relu_grad(g, saved(0))}; }

// ---- leaky_relu -----------------------------------------------------------------------------
struct LeakyReluBackward final : Node {
    float slope = 0.0f;
    const char* name() const override { return "LeakyReluBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor leaky_relu(const Tensor& a, float negative_slope, CallSite) {
    Tensor out = unary_forward(Unary::LeakyRelu, a, "leaky_relu", negative_slope);
    if (auto node = record_saving<LeakyReluBackward>(out, a, a)) node->slope = negative_slope;
    return out;
}

// out = a > 0 ? a : slope·a:  dL/da = g * (a > 0 ? 1 : slope)
std::vector<Tensor> LeakyReluBackward::apply(Tensor g) {
    Tensor factor = mask(Binary::Gt, saved(0), 0.0f);
    ops_detail::unary_into(Unary::Affine, factor, factor, 1.0f - slope, slope);
    return {mul(g, factor)};
}

// ---- clamp ----------------------------------------------------------------------------------
struct ClampBackward final : Node {
    float min = 0.0f, max = 0.0f;
    const char* name() const override { return "ClampBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor clamp(const Tensor& a, float min, float max, CallSite) {
    DESCENT_CHECK(!(min > max), ValueError, "clamp(): min ", min, " is greater than max ", max);
    Tensor out = unary_forward(Unary::Clamp, a, "clamp", min, max);
    if (auto node = record_saving<ClampBackward>(out, a, a)) {
        node->min = min;
        node->max = max;
    }
    return out;
}

// out = min(max(a, lo), hi):  dL/da = g * [lo <= a <= hi]
std::vector<Tensor> ClampBackward::apply(Tensor g) {
    const Tensor a = saved(0);
    Tensor inside = mask(Binary::Ge, a, min);
    ops_detail::binary_into(Binary::Mul, inside, mask(Binary::Le, a, max), inside);
    return {mul(g, inside)};
}

// ---- sin, cos -------------------------------------------------------------------------------
struct SinBackward final : Node {
    const char* name() const override { return "SinBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor sin(const Tensor& a, CallSite) {
    return unary_saving<SinBackward>(Unary::Sin, a, "sin", Keep::Input);
}

// out = sin(a):  dL/da = g * cos(a)
std::vector<Tensor> SinBackward::apply(Tensor g) { return {mul(g, cos(saved(0)))}; }

struct CosBackward final : Node {
    const char* name() const override { return "CosBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor cos(const Tensor& a, CallSite) {
    return unary_saving<CosBackward>(Unary::Cos, a, "cos", Keep::Input);
}

// out = cos(a):  dL/da = -g * sin(a)
std::vector<Tensor> CosBackward::apply(Tensor g) { return {mul(neg(g), sin(saved(0)))}; }

// ---- log1p, expm1 ---------------------------------------------------------------------------
struct Log1pBackward final : Node {
    const char* name() const override { return "Log1pBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor log1p(const Tensor& a, CallSite) {
    return unary_saving<Log1pBackward>(Unary::Log1p, a, "log1p", Keep::Input);
}

// out = log(1 + a):  dL/da = g / (1 + a)
std::vector<Tensor> Log1pBackward::apply(Tensor g) { return {div(g, saved(0) + 1.0f)}; }

struct Expm1Backward final : Node {
    const char* name() const override { return "Expm1Backward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor expm1(const Tensor& a, CallSite) {
    return unary_saving<Expm1Backward>(Unary::Expm1, a, "expm1", Keep::Output);
}

// out = exp(a) - 1:  dL/da = g * (out + 1)
std::vector<Tensor> Expm1Backward::apply(Tensor g) { return {mul(g, saved(0) + 1.0f)}; }

// ---- square, rsqrt, reciprocal --------------------------------------------------------------
Tensor square(const Tensor& a, CallSite) {
    ops_detail::check_defined(a, "square");
    return pow(a, 2.0f);  // its backward is pow's: g * 2a
}

struct RsqrtBackward final : Node {
    const char* name() const override { return "RsqrtBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor rsqrt(const Tensor& a, CallSite) {
    return unary_saving<RsqrtBackward>(Unary::Rsqrt, a, "rsqrt", Keep::Output);
}

// out = a^(-1/2):  dL/da = g * -out³ / 2
std::vector<Tensor> RsqrtBackward::apply(Tensor g) {
    const Tensor y = saved(0);
    return {mul(g, mul(mul(y, y), y) * -0.5f)};
}

struct ReciprocalBackward final : Node {
    const char* name() const override { return "ReciprocalBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor reciprocal(const Tensor& a, CallSite) {
    return unary_saving<ReciprocalBackward>(Unary::Reciprocal, a, "reciprocal", Keep::Output);
}

// out = 1/a:  dL/da = -g * out²
std::vector<Tensor> ReciprocalBackward::apply(Tensor g) {
    const Tensor y = saved(0);
    return {mul(neg(g), mul(y, y))};
}

// ---- erf ------------------------------------------------------------------------------------
struct ErfBackward final : Node {
    const char* name() const override { return "ErfBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor erf(const Tensor& a, CallSite) {
    return unary_saving<ErfBackward>(Unary::Erf, a, "erf", Keep::Input);
}

// out = erf(a):  dL/da = g * 2/√π * exp(-a²)
std::vector<Tensor> ErfBackward::apply(Tensor g) {
    constexpr float two_over_sqrt_pi = 1.12837916709551257f;
    const Tensor x = saved(0);
    return {mul(g, exp(neg(mul(x, x))) * two_over_sqrt_pi)};
}

}  // namespace descent
