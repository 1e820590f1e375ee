// The functional losses: hand-computed values for each reduction, PyTorch's edge behaviour (BCE's
// clamp at -100, the stable logits form), gradients (first and second order) and errors.
#include "support.hpp"

#include <cmath>

#include "descent/nn/functional/loss.hpp"

using namespace descent;
using nn::Reduction;
using namespace nn::functional;
using V = std::vector<Tensor>;

namespace {

const std::vector<Reduction> all_reductions = {Reduction::Mean, Reduction::Sum, Reduction::None};

// Checks f(x, y) against per-element expected values under each reduction.
template <class F>
void check_reductions(F f, const Tensor& x, const Tensor& y, const std::vector<float>& per) {
    float total = 0;
    for (float v : per) total += v;
    CHECK_VALUES(f(x, y, Reduction::None), x.shape(), per);
    CHECK_VALUES(f(x, y, Reduction::Sum), {}, {total});
    CHECK_VALUES(f(x, y, Reduction::Mean), {}, {total / per.size()});
}

// A loss as a callable of (input, target, reduction): its CallSite parameter takes its default.
#define LOSS(f) [](const Tensor& a, const Tensor& b, Reduction r) { return f(a, b, r); }

float sigmoid_f(float v) { return 1 / (1 + std::exp(-v)); }

}  // namespace

TEST_CASE("mse_loss, l1_loss and huber_loss on hand-computed values") {
    const Tensor x = tensor({1, -2, 0.5f, 4}, {2, 2}), y = tensor({0, 1, 0.5f, 1.5f}, {2, 2});
    // differences 1, -3, 0, 2.5
    check_reductions(LOSS(mse_loss), x, y, {1, 9, 0, 6.25f});
    check_reductions(LOSS(l1_loss), x, y, {1, 3, 0, 2.5f});
    // delta 1: |d| < 1 -> ½d², else |d| - ½
    auto huber1 = [](const Tensor& a, const Tensor& b, Reduction r) { return huber_loss(a, b, r); };
    check_reductions(huber1, x, y, {0.5f, 2.5f, 0, 2});
    // delta 2.5: 1 and 0 are inside, 3 and 2.5 at or past the edge: 2.5·(|d| - 1.25)
    auto huber25 = [](const Tensor& a, const Tensor& b, Reduction r) {
        return huber_loss(a, b, r, 2.5f);
    };
    check_reductions(huber25, x, y, {0.5f, 4.375f, 0, 3.125f});
}

TEST_CASE("nll_loss picks -input[i, t_i]") {
    const Tensor lp = tensor({-0.1f, -2, -3, -1.5f, -0.5f, -4}, {2, 3});
    CHECK_VALUES(nll_loss(lp, {0, 2}, Reduction::None), {2}, {0.1f, 4});
    CHECK_VALUES(nll_loss(lp, {0, 2}, Reduction::Sum), {}, {4.1f});
    CHECK_VALUES(nll_loss(lp, {1, 1}), {}, {1.25f});
    Tensor g = lp.detach().requires_grad_();
    nll_loss(g, {1, 0}).backward();
    CHECK_VALUES(g.grad(), {2, 3}, {0, -0.5f, 0, -0.5f, 0, 0});
}

TEST_CASE("binary_cross_entropy: values, the clamp at -100 and PyTorch's gradient") {
    const Tensor x = tensor({0.9f, 0.2f, 0.5f}), y = tensor({1, 0, 0.25f});
    check_reductions(LOSS(binary_cross_entropy), x, y,
                     {-std::log(0.9f), -std::log(0.8f), -std::log(0.5f)});
    // log 0 is clamped: a confident wrong answer costs 100, a confident right one 0.
    CHECK_VALUES(binary_cross_entropy(tensor({0, 1, 0, 1}), tensor({1, 0, 0, 1}), Reduction::None),
                 {4}, {100, 100, 0, 0});
    // Gradient (x - y)/max(x(1-x), 1e-12): finite even at x = 0.
    Tensor p = tensor({0.25f, 0.0f}).requires_grad_();
    binary_cross_entropy(p, tensor({1, 0}), Reduction::Sum).backward();
    CHECK_VALUES(p.grad(), {2}, {-0.75f / (0.25f * 0.75f), 0});
    Tensor q = tensor({0.0f}).requires_grad_();
    binary_cross_entropy(q, tensor({1}), Reduction::Sum).backward();
    CHECK(std::isfinite(q.grad().item()));
    CHECK(q.grad().item() == doctest::Approx(-1e12));
}

TEST_CASE("binary_cross_entropy_with_logits: values, stability, gradient at 0") {
    const Tensor x = tensor({2, -1, 0}), y = tensor({1, 0, 0.5f});
    // -(y log σ(x) + (1-y) log(1-σ(x)))
    auto bce = [](float xv, float yv) {
        return -(yv * std::log(sigmoid_f(xv)) + (1 - yv) * std::log(1 - sigmoid_f(xv)));
    };
    check_reductions(LOSS(binary_cross_entropy_with_logits), x, y,
                     {bce(2, 1), bce(-1, 0), bce(0, 0.5f)});
    // Huge logits: finite, and exactly the linear part.
    CHECK_VALUES(binary_cross_entropy_with_logits(tensor({200, -200, 200}), tensor({0, 1, 1}),
                                                  Reduction::None),
                 {3}, {200, 200, 0});
    // At x = 0 the gradient is σ(0) - y = 0.5 - y (a composition of relu and abs would give -y).
    Tensor z = tensor({0, 0}).requires_grad_();
    binary_cross_entropy_with_logits(z, tensor({1, 0.25f}), Reduction::Sum).backward();
    CHECK_VALUES(z.grad(), {2}, {-0.5f, 0.25f});
    // With probabilities σ(x), it agrees with binary_cross_entropy.
    const Tensor l = test::input({3, 4}, 1, -3.0f, 3.0f).detach();
    const Tensor t = test::input({3, 4}, 2, 0.0f, 1.0f).detach();
    CHECK(allclose(binary_cross_entropy_with_logits(l, t), binary_cross_entropy(sigmoid(l), t),
                   1e-5, 1e-6));
}

TEST_CASE("losses: gradients first and second order, in input and target, every reduction") {
    const Tensor x = test::input({3, 4}, 1, -2.0f, 2.0f), y = test::input({3, 4}, 2, -2.0f, 2.0f);
    const Tensor p = test::input({3, 4}, 3, 0.1f, 0.9f), q = test::input({3, 4}, 4, 0.0f, 1.0f);
    // Keep |x - y| away from Huber's edge and from l1's kink: differences in ±[0.2, 0.8] ∪ ±[1.2,
    // 2].
    const Tensor d = test::away_from_zero({3, 4}, 5, 0.2f, 0.8f);
    const Tensor far = test::away_from_zero({3, 4}, 6, 1.2f, 2.0f);
    const Tensor base = test::input({3, 4}, 7);
    const Tensor near_t = (base + d).detach().requires_grad_();
    const Tensor far_t = (base + far).detach().requires_grad_();
    for (const Reduction r : all_reductions) {
        INFO(nn::to_string(r));
        CHECK_GRADIENTS([r](const V& v) { return mse_loss(v[0], v[1], r); }, (V{x, y}));
        CHECK_GRADIENTS([r](const V& v) { return l1_loss(v[0], v[1], r); }, (V{base, near_t}));
        CHECK_GRADIENTS([r](const V& v) { return huber_loss(v[0], v[1], r); }, (V{base, near_t}));
        CHECK_GRADIENTS([r](const V& v) { return huber_loss(v[0], v[1], r); }, (V{base, far_t}));
        CHECK_GRADIENTS([r](const V& v) { return binary_cross_entropy(v[0], v[1], r); }, (V{p, q}));
        CHECK_GRADIENTS([r](const V& v) { return binary_cross_entropy_with_logits(v[0], v[1], r); },
                        (V{x, q}));
        CHECK_GRADIENTS([r](const V& v) { return nll_loss(v[0], {1, 3, 0}, r); }, V{x});
    }
}

TEST_CASE("loss errors name the op and both shapes") {
    CHECK_ERROR(ShapeError,
                [] {
                    mse_loss(zeros({4, 1}), zeros({4}));
                },
                {"mse_loss()", "(4, 1)", "(4)", "same shape"});
    CHECK_ERROR(ShapeError, [] { l1_loss(zeros({2}), zeros({3})); }, {"l1_loss()", "(2)", "(3)"});
    CHECK_ERROR(ShapeError, [] { huber_loss(zeros({2}), zeros({3})); }, {"huber_loss()"});
    CHECK_ERROR(ValueError, [] { huber_loss(zeros({2}), zeros({2}), Reduction::Mean, 0); },
                {"huber_loss()", "delta", "0"});
    CHECK_ERROR(ShapeError,
                [] {
                    binary_cross_entropy(zeros({2}), zeros({2, 1}));
                },
                {"binary_cross_entropy()", "(2)", "(2, 1)"});
    CHECK_ERROR(ValueError,
                [] {
                    binary_cross_entropy(tensor({0.5f, 1.5f}), zeros({2}));
                },
                {"binary_cross_entropy()", "[0, 1]", "element 1", "1.5"});
    CHECK_ERROR(ShapeError, [] { binary_cross_entropy_with_logits(zeros({1}), zeros({2})); },
                {"binary_cross_entropy_with_logits()", "(1)", "(2)"});
    CHECK_ERROR(IndexError,
                [] {
                    nll_loss(zeros({2, 3}), {0, 3});
                },
                {"nll_loss()", "target 3", "index 1", "3"});
    CHECK_ERROR(ShapeError,
                [] {
                    nll_loss(zeros({2, 3}), {0});
                },
                {"nll_loss()", "(2, 3)", "1 targets"});
    CHECK_ERROR(ShapeError, [] { nll_loss(zeros({3}), {0}); }, {"nll_loss()", "2-D"});
    CHECK_ERROR(ValueError, [] { mse_loss(zeros({0}), zeros({0})); }, {"mse_loss()", "empty"});
    CHECK_ERROR(ValueError, [] { mse_loss(Tensor(), zeros({0})); },
                {"mse_loss()", "input", "undefined"});
    CHECK_ERROR(ValueError, [] { mse_loss(zeros({1}), Tensor()); }, {"target", "undefined"});
}

// ---- the options forms of issue 27 (values from tests/nn/layers_torch_reference.py) ----------
namespace {
// torch: X1, Y1 of the reference script
Tensor X1() {
    return tensor(std::vector<double>{0.5, -1.0, 2.0, 1.0, 0.25, -0.5, -1.5, 0.5, 0.0}, {3, 3},
                  kFloat64);
}
Tensor Y1() {
    return tensor(std::vector<double>{1.0, 0.0, -1.0, 0.0, 0.5, 1.0, 1.0, 1.0, 1.0}, {3, 3},
                  kFloat64);
}
}  // namespace

TEST_CASE("binary_cross_entropy_with_logits with weight and pos_weight matches PyTorch") {
    using nn::functional::BinaryCrossEntropyWithLogitsFuncOptions;
    const Tensor pw = tensor(std::vector<double>{1.0, 3.0, 0.5}, {3}, kFloat64),
                 wb = tensor(std::vector<double>{2.0, 1.0, 0.5}, {3, 1}, kFloat64);
    // torch: F.binary_cross_entropy_with_logits(X1, Y1.abs(), pos_weight=PW); with weight=WB, none
    CHECK_DOUBLES(binary_cross_entropy_with_logits(
                      X1(), abs(Y1()), BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(pw)),
                  {}, {0.8220221685987582});
    CHECK_DOUBLES(binary_cross_entropy_with_logits(
                      X1(), abs(Y1()),
                      BinaryCrossEntropyWithLogitsFuncOptions().weight(wb).pos_weight(pw).reduction(
                          Reduction::None)),
                  {3, 3},
                  {0.9481539683602134, 0.6265233750364456, 0.1269280110429726, 1.3132616875182228,
                   1.2768788397576873, 0.48703849209005334, 0.8507066389913762, 0.71111547627016,
                   0.17328679513998632});
    // A pos_weight of ones is the plain loss.
    CHECK(allclose(binary_cross_entropy_with_logits(
                       X1(), abs(Y1()),
                       BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(ones({3}, kFloat64))),
                   binary_cross_entropy_with_logits(X1(), abs(Y1())), 1e-12, 1e-12));
    const Tensor x = test::input({3, 3}, 51, -3, 3), y = test::input({3, 3}, 52, 0, 1);
    CHECK_GRADIENTS(
        [&](const V& v) {
            return binary_cross_entropy_with_logits(
                v[0], v[1], BinaryCrossEntropyWithLogitsFuncOptions().weight(wb).pos_weight(pw));
        },
        (V{x, y}));
    CHECK_ERROR(ShapeError,
                [] {
                    binary_cross_entropy_with_logits(
                        zeros({3, 3}), zeros({3, 3}),
                        BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(ones({2})));
                },
                {"binary_cross_entropy_with_logits()", "pos_weight (2)", "(3, 3)"});
    CHECK_ERROR(ShapeError,
                [] {
                    binary_cross_entropy_with_logits(
                        zeros({3, 3}), zeros({3, 3}),
                        BinaryCrossEntropyWithLogitsFuncOptions().weight(ones({2, 3, 3})));
                },
                {"binary_cross_entropy_with_logits()", "weight (2, 3, 3)"});
}

TEST_CASE("smooth_l1_loss (beta) and huber_loss options match PyTorch") {
    using nn::functional::HuberLossFuncOptions;
    using nn::functional::SmoothL1LossFuncOptions;
    const auto none = [](double beta) {
        return SmoothL1LossFuncOptions().beta(beta).reduction(Reduction::None);
    };
    // torch: F.smooth_l1_loss(X1, Y1, beta=..., reduction="none"); F.huber_loss(X1, Y1, delta=0.5,
    // "sum")
    CHECK_DOUBLES(smooth_l1_loss(X1(), Y1(), none(1.0)), {3, 3},
                  {0.125, 0.5, 2.5, 0.5, 0.03125, 1.0, 2.0, 0.125, 0.5});
    CHECK_DOUBLES(smooth_l1_loss(X1(), Y1(), none(0.5)), {3, 3},
                  {0.25, 0.75, 2.75, 0.75, 0.0625, 1.25, 2.25, 0.25, 0.75});
    CHECK_DOUBLES(smooth_l1_loss(X1(), Y1(), none(0.0)), {3, 3},
                  {0.5, 1.0, 3.0, 1.0, 0.25, 1.5, 2.5, 0.5, 1.0});
    CHECK_DOUBLES(
        huber_loss(X1(), Y1(), HuberLossFuncOptions().delta(0.5).reduction(Reduction::Sum)), {},
        {4.53125});
    // smooth_l1 with β is huber with δ = β, divided by β.
    CHECK(allclose(smooth_l1_loss(X1(), Y1(), SmoothL1LossFuncOptions().beta(0.5)),
                   huber_loss(X1(), Y1(), HuberLossFuncOptions().delta(0.5)) / 0.5, 1e-12, 1e-12));
    const Tensor x = test::input({3, 4}, 53, -2, 2), y = test::input({3, 4}, 54, -2, 2);
    CHECK_GRADIENTS(
        [](const V& v) { return smooth_l1_loss(v[0], v[1], SmoothL1LossFuncOptions().beta(0.7)); },
        (V{x, y}));
    CHECK_ERROR(ValueError,
                [] { smooth_l1_loss(zeros({2}), zeros({2}), SmoothL1LossFuncOptions().beta(-1)); },
                {"smooth_l1_loss()", "beta", "-1"});
    CHECK_ERROR(ValueError,
                [] { huber_loss(zeros({2}), zeros({2}), HuberLossFuncOptions().delta(0)); },
                {"huber_loss()", "delta", "0"});
    CHECK_ERROR(ShapeError, [] { smooth_l1_loss(zeros({2}), zeros({3})); },
                {"smooth_l1_loss()", "(2)", "(3)"});
}
