// Forward and backward of the arithmetic ops, side by side. A broadcast input receives the
// gradient summed back to its own shape (sum_to_size), which is where broadcasting's backward
// lives.
#include "descent/autograd/ops/arithmetic.hpp"

#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;
using kernels::Binary;
using ops_detail::binary_forward;

namespace {

// The gradient for input i: `grad` summed to that input's shape, or undefined if it needs none.
template <class F>
Tensor input_grad(const Node& node, size_t i, F&& grad) {
    return node.needs_input_grad(i) ? sum_to_size(grad(), node.input_shape(i)) : Tensor();
}

}  // namespace

// ---- add ------------------------------------------------------------------------------------
struct AddBackward final : Node {
    const char* name() const override { return "AddBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor add(const Tensor& a, const Tensor& b, CallSite) {
    Tensor out = binary_forward(Binary::Add, a, b, "add");
    record<AddBackward>(out, a, b);
    return out;
}

// out = a + b:  dL/da = g,  dL/db = g
std::vector<Tensor> AddBackward::apply(Tensor g) {
    return {input_grad(*this, 0, [&] { return g; }), input_grad(*this, 1, [&] { return g; })};
}

// ---- sub ------------------------------------------------------------------------------------
struct SubBackward final : Node {
    const char* name() const override { return "SubBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor sub(const Tensor& a, const Tensor& b, CallSite) {
    Tensor out = binary_forward(Binary::Sub, a, b, "sub");
    record<SubBackward>(out, a, b);
    return out;
}

// out = a - b:  dL/da = g,  dL/db = -g
std::vector<Tensor> SubBackward::apply(Tensor g) {
    return {input_grad(*this, 0, [&] { return g; }), input_grad(*this, 1, [&] { return neg(g); })};
}

// ---- mul ------------------------------------------------------------------------------------
struct MulBackward final : Node {
    // saved: a, b, each only if the other input needs a gradient
    const char* name() const override { return "MulBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor mul(const Tensor& a, const Tensor& b, CallSite) {
    Tensor out = binary_forward(Binary::Mul, a, b, "mul");
    if (auto node = record<MulBackward>(out, a, b))
        node->save_for_backward(
            {node->needs_input_grad(1) ? a : Tensor(), node->needs_input_grad(0) ? b : Tensor()});
    return out;
}

// out = a * b:  dL/da = g * b,  dL/db = g * a
std::vector<Tensor> MulBackward::apply(Tensor g) {
    return {input_grad(*this, 0, [&] { return mul(g, saved(1)); }),
            input_grad(*this, 1, [&] { return mul(g, saved(0)); })};
}

// ---- div ------------------------------------------------------------------------------------
struct DivBackward final : Node {
    // saved: a (if b needs a gradient), b
    const char* name() const override { return "DivBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor div(const Tensor& a, const Tensor& b, CallSite) {
    Tensor out = binary_forward(Binary::Div, a, b, "div");
    if (auto node = record<DivBackward>(out, a, b))
        node->save_for_backward({node->needs_input_grad(1) ? a : Tensor(), b});
    return out;
}

// out = a / b:  dL/da = g / b,  dL/db = -g * a / b²
std::vector<Tensor> DivBackward::apply(Tensor g) {
    const Tensor bv = saved(1);
    return {input_grad(*this, 0, [&] { return div(g, bv); }),
            input_grad(*this, 1, [&] { return neg(div(mul(g, saved(0)), mul(bv, bv))); })};
}

// ---- neg ------------------------------------------------------------------------------------
struct NegBackward final : Node {
    const char* name() const override { return "NegBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor neg(const Tensor& a, CallSite) {
    Tensor out = ops_detail::unary_forward(kernels::Unary::Neg, a, "neg");
    record<NegBackward>(out, a);
    return out;
}

// out = -a:  dL/da = -g
std::vector<Tensor> NegBackward::apply(Tensor g) { return {neg(g)}; }

// ---- pow (scalar exponent) ------------------------------------------------------------------
struct PowBackward final : Node {
    // saved: a
    float p = 0.0f;
    const char* name() const override { return "PowBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor pow(const Tensor& a, float exponent, CallSite) {
    Tensor out = ops_detail::unary_forward(kernels::Unary::Pow, a, "pow", exponent);
    if (auto node = record<PowBackward>(out, a)) {
        node->save_for_backward({a});
        node->p = exponent;
    }
    return out;
}

// out = a^p:  dL/da = g * p * a^(p-1)
std::vector<Tensor> PowBackward::apply(Tensor g) {
    if (p == 0.0f) return {zeros(input_shape(0))};
    if (p == 1.0f) return {g};
    return {mul(g, mul(pow(saved(0), p - 1.0f), scalar_tensor(p)))};
}

// ---- pow (tensor exponent) ------------------------------------------------------------------
struct PowTensorBackward final : Node {
    // saved: a, b, out (if b needs a gradient)
    const char* name() const override { return "PowTensorBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor pow(const Tensor& a, const Tensor& exponent, CallSite) {
    Tensor out = binary_forward(Binary::Pow, a, exponent, "pow");
    if (auto node = record<PowTensorBackward>(out, a, exponent))
        node->save_for_backward({a, exponent, node->needs_input_grad(1) ? out : Tensor()});
    return out;
}

// out = a^b:  dL/da = g * b * a^(b-1),  dL/db = g * out * log(a)
std::vector<Tensor> PowTensorBackward::apply(Tensor g) {
    const Tensor av = saved(0), bv = saved(1);
    return {
        input_grad(*this, 0, [&] { return mul(g, mul(bv, pow(av, sub(bv, scalar_tensor(1))))); }),
        input_grad(*this, 1, [&] { return mul(g, mul(saved(2), log(av))); })};
}

// The Operand's CallSite, made where the user wrote the operator, is the one these calls see.
Tensor operator+(Operand a, const Tensor& b) { return add(a.tensor, b); }
Tensor operator-(Operand a, const Tensor& b) { return sub(a.tensor, b); }
Tensor operator*(Operand a, const Tensor& b) { return mul(a.tensor, b); }
Tensor operator/(Operand a, const Tensor& b) { return div(a.tensor, b); }
Tensor operator-(Operand a) { return neg(a.tensor); }

Tensor ops_detail::scalar_operand(const Tensor& t, double value, bool is_floating) {
    // an undefined t: any scalar, so that the op itself reports the undefined operand by name
    if (!t.defined()) return scalar_tensor(value);
    return scalar_tensor(value, promote_with_scalar(t.dtype(), is_floating));
}

// ---- floor_divide, remainder ----------------------------------------------------------------
namespace {

// Integer division by zero has no value (PyTorch's CPU kernels crash on it): refuse it first.
void check_divisor(const Tensor& a, const Tensor& b, const char* op) {
    ops_detail::check_defined(a, op, "first operand");
    ops_detail::check_defined(b, op, "second operand");
    if (is_floating_point(promote_types(a.dtype(), b.dtype()))) return;
    const Tensor d = descent::detail::converted(b, kInt64);
    const int64_t* p = d.data<int64_t>();
    for (int64_t i = 0; i < d.numel(); ++i)
        DESCENT_CHECK(p[i] != 0, ValueError, op, "(): integer division by zero (", a.dtype(), " ",
                      a.shape(), " by ", b.dtype(), " ", b.shape(), ", element ", i, ")");
}

}  // namespace

Tensor floor_divide(const Tensor& a, const Tensor& b, CallSite) {
    check_divisor(a, b, "floor_divide");
    return binary_forward(Binary::FloorDivide, a, b, "floor_divide");  // no gradient, as PyTorch
}

struct RemainderBackward final : Node {
    // saved: a, b (if b needs a gradient)
    const char* name() const override { return "RemainderBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor remainder(const Tensor& a, const Tensor& b, CallSite) {
    check_divisor(a, b, "remainder");
    Tensor out = binary_forward(Binary::Remainder, a, b, "remainder");
    if (auto node = record<RemainderBackward>(out, a, b))
        if (node->needs_input_grad(1)) node->save_for_backward({a, b});
    return out;
}

// out = a - floor(a/b)·b:  dL/da = g,  dL/db = -g·floor(a/b)
std::vector<Tensor> RemainderBackward::apply(Tensor g) {
    return {input_grad(*this, 0, [&] { return g; }),
            input_grad(*this, 1, [&] { return neg(mul(g, floor_divide(saved(0), saved(1)))); })};
}

}  // namespace descent
