// autograd::Function (custom ops with forward(ctx, ...) / backward(ctx, grads)) and the saved
// tensors a node keeps: gradcheck, saved data and tensors freed after backward, version checks.
#include <memory>

#include "support.hpp"

using namespace descent;
using autograd::AutogradContext;
using autograd::tensor_list;

namespace {

// y = x³ · scale
struct Cube : autograd::Function<Cube> {
    static Tensor forward(AutogradContext* ctx, const Tensor& x, float scale) {
        ctx->save_for_backward({x});
        ctx->saved_data["scale"] = scale;
        return x * x * x * scale;
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        const Tensor x = ctx->get_saved_variables()[0];
        const float scale = std::any_cast<float>(ctx->saved_data["scale"]);
        return {grads[0] * 3.0f * scale * x * x};
    }
};

// y = exp(a) * b, saving its own output; reports which inputs need a gradient.
struct ExpTimes : autograd::Function<ExpTimes> {
    static inline std::vector<bool> seen;
    static Tensor forward(AutogradContext* ctx, const Tensor& a, const Tensor& b) {
        Tensor out = exp(a) * b;
        ctx->save_for_backward({out, b});
        return out;
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        seen = {ctx->needs_input_grad(0), ctx->needs_input_grad(1)};
        const tensor_list s = ctx->get_saved_variables();
        const Tensor da = ctx->needs_input_grad(0) ? grads[0] * s[0] : Tensor();
        const Tensor db = ctx->needs_input_grad(1) ? grads[0] * s[0] / s[1] : Tensor();
        return {da, db};
    }
};

struct Fused : autograd::Function<Fused> {
    static constexpr bool once_differentiable = true;
    static Tensor forward(AutogradContext*, const Tensor& x) { return x * 2.0f; }
    static tensor_list backward(AutogradContext*, tensor_list grads) {
        return {(grads[0] * 2.0f).detach()};
    }
};

}  // namespace

TEST_CASE("a Function records a node named after it and gradchecks, first and second order") {
    const Tensor x = test::input({3, 2}, 11);
    const Tensor y = Cube::apply(x, 2.0f);
    REQUIRE(y.grad_fn());
    CHECK(std::string(y.grad_fn()->name()) == "CubeBackward");
    CHECK_FALSE(Cube::apply(x.detach(), 2.0f).requires_grad());
    const auto f = [](const std::vector<Tensor>& v) { return Cube::apply(v[0], 2.0f); };
    CHECK(autograd::gradcheck(f, {x}));
    CHECK(autograd::gradgradcheck(f, {x}));
}

TEST_CASE("a Function may save its own output, and needs_input_grad says which want one") {
    const Tensor a = test::input({4}, 12), b = test::input({4}, 13);
    const auto f = [](const std::vector<Tensor>& v) { return ExpTimes::apply(v[0], v[1]); };
    CHECK(autograd::gradcheck(f, {a, b}));
    CHECK(autograd::gradgradcheck(f, {a, b}));
    ExpTimes::apply(a, b.detach()).sum().backward();
    CHECK(ExpTimes::seen == std::vector<bool>{true, false});
}

TEST_CASE("a once-differentiable Function refuses create_graph") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor y = Fused::apply(x);
    CHECK_ERROR(StateError,
                [&] { autograd::grad({y.sum()}, {x}, {}, std::nullopt, /*create_graph=*/true); },
                {"FusedBackward", "once-differentiable"});
}

TEST_CASE("backward frees what a node saved: tensors and saved_data alike") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor w = tensor({3.0f, 4.0f});
    Tensor y = x * w;  // MulBackward saves w, x needing a gradient
    const long before = w.impl_ptr().use_count();
    y.sum().backward(Tensor(), /*retain_graph=*/true);
    CHECK(w.impl_ptr().use_count() == before);  // retained: still saved
    Tensor y2 = x * w;
    y2.sum().backward();
    CHECK(w.impl_ptr().use_count() == before);  // y2's node released w; y's still holds it
    y = Tensor();
    CHECK(w.impl_ptr().use_count() == before - 1);

    auto token = std::make_shared<int>(0);
    Tensor z = autograd::custom_op("Hold", {x}, x.detach(),
                                   [token](const Tensor& g) { return std::vector<Tensor>{g}; });
    CHECK(token.use_count() == 2);
    z.sum().backward();
    CHECK(token.use_count() == 1);  // the lambda (saved_data) went with the release
}

TEST_CASE("a tensor modified in place after a Function saved it fails backward") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor c = tensor({1.0f, 1.0f});
    Tensor z = ExpTimes::apply(x, c);
    c.mul_(2.0f);
    CHECK_ERROR(StateError, [&] { z.sum().backward(); }, {"ExpTimesBackward", "modified in place"});
}
