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
using autograd::SavedTensor;
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

Tensor add(const Tensor& a, const Tensor& b) {
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

Tensor sub(const Tensor& a, const Tensor& b) {
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
    SavedTensor a, b;  // each saved only if the other input needs a gradient
    const char* name() const override { return "MulBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
    void release_saved() override {
        a.reset();
        b.reset();
    }
};

Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor out = binary_forward(Binary::Mul, a, b, "mul");
    if (auto node = record<MulBackward>(out, a, b)) {
        if (node->needs_input_grad(1)) node->a = SavedTensor(a, false);
        if (node->needs_input_grad(0)) node->b = SavedTensor(b, false);
    }
    return out;
}

// out = a * b:  dL/da = g * b,  dL/db = g * a
std::vector<Tensor> MulBackward::apply(Tensor g) {
    return {input_grad(*this, 0, [&] { return mul(g, b.unpack(*this)); }),
            input_grad(*this, 1, [&] { return mul(g, a.unpack(*this)); })};
}

// ---- div ------------------------------------------------------------------------------------
struct DivBackward final : Node {
    SavedTensor a, b;
    const char* name() const override { return "DivBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
    void release_saved() override {
        a.reset();
        b.reset();
    }
};

Tensor div(const Tensor& a, const Tensor& b, SourceLocation loc) {
    autograd::detail::CallSiteScope site(loc);  // anomaly mode: where the node was created
    Tensor out = binary_forward(Binary::Div, a, b, "div");
    if (auto node = record<DivBackward>(out, a, b)) {
        if (node->needs_input_grad(1)) node->a = SavedTensor(a, false);
        node->b = SavedTensor(b, false);
    }
    return out;
}

// out = a / b:  dL/da = g / b,  dL/db = -g * a / b²
std::vector<Tensor> DivBackward::apply(Tensor g) {
    const Tensor bv = b.unpack(*this);
    return {input_grad(*this, 0, [&] { return div(g, bv); }),
            input_grad(*this, 1, [&] { return neg(div(mul(g, a.unpack(*this)), mul(bv, bv))); })};
}

// ---- neg ------------------------------------------------------------------------------------
struct NegBackward final : Node {
    const char* name() const override { return "NegBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor neg(const Tensor& a) {
    Tensor out = ops_detail::unary_forward(kernels::Unary::Neg, a, "neg");
    record<NegBackward>(out, a);
    return out;
}

// out = -a:  dL/da = -g
std::vector<Tensor> NegBackward::apply(Tensor g) { return {neg(g)}; }

// ---- pow (scalar exponent) ------------------------------------------------------------------
struct PowBackward final : Node {
    SavedTensor a;
    float p = 0.0f;
    const char* name() const override { return "PowBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
    void release_saved() override { a.reset(); }
};

Tensor pow(const Tensor& a, float exponent, SourceLocation loc) {
    autograd::detail::CallSiteScope site(loc);  // anomaly mode: where the node was created
    Tensor out = ops_detail::unary_forward(kernels::Unary::Pow, a, "pow", exponent);
    if (auto node = record<PowBackward>(out, a)) {
        node->a = SavedTensor(a, false);
        node->p = exponent;
    }
    return out;
}

// out = a^p:  dL/da = g * p * a^(p-1)
std::vector<Tensor> PowBackward::apply(Tensor g) {
    if (p == 0.0f) return {zeros(input_shape(0))};
    if (p == 1.0f) return {g};
    return {mul(g, mul(pow(a.unpack(*this), p - 1.0f), scalar_tensor(p)))};
}

// ---- pow (tensor exponent) ------------------------------------------------------------------
struct PowTensorBackward final : Node {
    SavedTensor a, b, out;
    const char* name() const override { return "PowTensorBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
    void release_saved() override {
        a.reset();
        b.reset();
        out.reset();
    }
};

Tensor pow(const Tensor& a, const Tensor& exponent, SourceLocation loc) {
    autograd::detail::CallSiteScope site(loc);  // anomaly mode: where the node was created
    Tensor out = binary_forward(Binary::Pow, a, exponent, "pow");
    if (auto node = record<PowTensorBackward>(out, a, exponent)) {
        node->a = SavedTensor(a, false);
        node->b = SavedTensor(exponent, false);
        if (node->needs_input_grad(1)) node->out = SavedTensor(out, true);
    }
    return out;
}

// out = a^b:  dL/da = g * b * a^(b-1),  dL/db = g * out * log(a)
std::vector<Tensor> PowTensorBackward::apply(Tensor g) {
    const Tensor av = a.unpack(*this), bv = b.unpack(*this);
    return {
        input_grad(*this, 0, [&] { return mul(g, mul(bv, pow(av, sub(bv, scalar_tensor(1))))); }),
        input_grad(*this, 1, [&] { return mul(g, mul(out.unpack(*this), log(av))); })};
}

Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
// Operators cannot take a defaulted location: their nodes report an unknown one.
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b, SourceLocation{}); }
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator+(const Tensor& a, float b) { return add(a, scalar_tensor(b)); }
Tensor operator-(const Tensor& a, float b) { return sub(a, scalar_tensor(b)); }
Tensor operator*(const Tensor& a, float b) { return mul(a, scalar_tensor(b)); }
Tensor operator/(const Tensor& a, float b) { return div(a, scalar_tensor(b), SourceLocation{}); }
Tensor operator+(float a, const Tensor& b) { return add(scalar_tensor(a), b); }
Tensor operator-(float a, const Tensor& b) { return sub(scalar_tensor(a), b); }
Tensor operator*(float a, const Tensor& b) { return mul(scalar_tensor(a), b); }
Tensor operator/(float a, const Tensor& b) { return div(scalar_tensor(a), b, SourceLocation{}); }

}  // namespace descent
