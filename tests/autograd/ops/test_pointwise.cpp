// clamp with tensor and optional bounds, lerp, atan2, floor / ceil / round / trunc and
// nan_to_num: values against std:: in loops, broadcasting, NaN and inf, gradients of both orders
// (PyTorch's rules at the bounds, zero for rounding), and errors.
#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;
using V = std::vector<Tensor>;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

}  // namespace

TEST_CASE("clamp with tensor bounds broadcasts and matches a naive loop") {
    const Tensor x = test::input({2, 3}, 61, -2.0f, 2.0f);
    const Tensor lo = tensor({-1.0f, -0.5f, 0.0f}), hi = tensor({0.5f, 1.0f}, {2, 1});
    std::vector<float> both, only_lo, only_hi;
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 3; ++j) {
            const float a = x.data()[i * 3 + j], l = lo.data()[j], h = hi.data()[i];
            both.push_back(std::min(std::max(a, l), h));
            only_lo.push_back(std::max(a, l));
            only_hi.push_back(std::min(a, h));
        }
    CHECK_VALUES(clamp(x, lo, hi), {2, 3}, both);
    CHECK_VALUES(x.clamp(lo, std::nullopt), {2, 3}, only_lo);
    CHECK_VALUES(clamp(x, std::nullopt, hi), {2, 3}, only_hi);
    // Scalar optional bounds.
    CHECK_VALUES(clamp(tensor({-2, 0, 2}), std::nullopt, 1.0f), {3}, {-2, 0, 1});
    CHECK_VALUES(tensor({-2, 0, 2}).clamp(-1.0f, std::nullopt), {3}, {-1, 0, 2});
    // The bounds' shape widens the result, and NaN stays NaN.
    CHECK(clamp(scalar_tensor(3), lo, std::nullopt).shape() == Shape{3});
    CHECK(std::isnan(clamp(tensor({kNaN}), lo, hi).data()[0]));
}

TEST_CASE("clamp's gradient goes to a inside the bounds and to the bound that is hit") {
    const Tensor a = tensor({-2, 0, 2}).requires_grad_();
    const Tensor lo = tensor({-1, -1, -1}).requires_grad_(),
                 hi = tensor({1, 1, 1}).requires_grad_();
    clamp(a, lo, hi).backward(tensor({1, 2, 3}));
    CHECK_VALUES(a.grad(), {3}, {0, 2, 0});
    CHECK_VALUES(lo.grad(), {3}, {1, 0, 0});
    CHECK_VALUES(hi.grad(), {3}, {0, 0, 3});
    // At a bound exactly, a keeps the gradient (lo <= a <= hi), as in PyTorch.
    const Tensor b = tensor({-1, 1}).requires_grad_(), l = tensor({-1}).requires_grad_();
    clamp(b, l, tensor({1})).backward(ones({2}));
    CHECK_VALUES(b.grad(), {2}, {1, 1});
    CHECK_VALUES(l.grad(), {1}, {0});
    // A broadcast bound receives the sum over what it covered.
    const Tensor c = tensor({-3, -4, 5}).requires_grad_(), m = scalar_tensor(0).requires_grad_();
    clamp(c, m, std::nullopt).backward(ones({3}));
    CHECK_VALUES(m.grad(), {}, {2});
}

TEST_CASE("lerp, atan2, rounding and nan_to_num match std:: in a loop") {
    const Tensor a = test::input({2, 3}, 62), b = test::input({2, 3}, 63), w = test::input({3}, 64);
    std::vector<float> l_scalar, l_tensor, at;
    for (int64_t i = 0; i < 6; ++i) {
        const float x = a.data()[i], y = b.data()[i], t = w.data()[i % 3];
        l_scalar.push_back(x + 0.25f * (y - x));
        l_tensor.push_back(t < 0.5f ? x + t * (y - x) : y - (y - x) * (1 - t));
        at.push_back(std::atan2(x, y));
    }
    CHECK_VALUES(lerp(a, b, 0.25f), {2, 3}, l_scalar);
    CHECK_VALUES(a.lerp(b, w), {2, 3}, l_tensor);
    CHECK(equal(lerp(a, b, 1.0f), b));  // weight 1 gives the end exactly
    CHECK(equal(lerp(a, b, 0.0f), a));
    CHECK_VALUES(atan2(a, b), {2, 3}, at);
    CHECK_VALUES(atan2(tensor({1, -1}), scalar_tensor(0)), {2}, {1.5707964f, -1.5707964f});
    CHECK_VALUES(a.atan2(tensor({1})), {2, 3}, [&] {
        std::vector<float> v;
        for (int64_t i = 0; i < 6; ++i) v.push_back(std::atan2(a.data()[i], 1.0f));
        return v;
    }());

    const Tensor r = tensor({-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 1.7f, -1.7f});
    CHECK_VALUES(floor(r), {8}, {-3, -2, -1, 0, 1, 2, 1, -2});
    CHECK_VALUES(r.ceil(), {8}, {-2, -1, -0.0f, 1, 2, 3, 2, -1});
    CHECK_VALUES(round(r), {8}, {-2, -2, -0.0f, 0, 2, 2, 2, -2});  // halves to even
    CHECK_VALUES(r.trunc(), {8}, {-2, -1, -0.0f, 0, 1, 2, 1, -1});
    CHECK(std::isnan(floor(tensor({kNaN})).item()));

    const Tensor n = tensor({kNaN, kInf, -kInf, 1.5f});
    const float big = std::numeric_limits<float>::max();
    CHECK_VALUES(nan_to_num(n), {4}, {0, big, -big, 1.5f});
    CHECK_VALUES(n.nan_to_num(7.0f, 8.0f, -9.0f), {4}, {7, 8, -9, 1.5f});
    CHECK_VALUES(nan_to_num(n, std::nullopt, 100.0f), {4}, {0, 100, -big, 1.5f});
}

TEST_CASE("rounding has a zero gradient and nan_to_num passes it only where finite") {
    const Tensor x = tensor({-1.5f, 0.3f, 2.7f}).requires_grad_();
    (floor(x) + ceil(x) + round(x) + trunc(x)).backward(ones({3}));
    CHECK_VALUES(x.grad(), {3}, {0, 0, 0});
    CHECK(std::string(floor(x).grad_fn()->name()) == "FloorBackward");
    CHECK(std::string(round(x).grad_fn()->name()) == "RoundBackward");
    const Tensor n = tensor({kNaN, kInf, 2.0f}).requires_grad_();
    nan_to_num(n).backward(tensor({5, 6, 7}));
    CHECK_VALUES(n.grad(), {3}, {0, 0, 7});
}

TEST_CASE("pointwise ops: gradients, first and second order") {
    const Tensor a = test::input({2, 3}, 65, -2.0f, 2.0f), b = test::input({2, 3}, 66);
    // Bounds at least 0.1 from every ca, some below, some inside, some above: no kink lies
    // within gradcheck's steps.
    const Tensor ca = tensor({-1.5f, 0.0f, 0.5f, 0.6f, -0.8f, 1.8f}, {2, 3}).requires_grad_();
    const Tensor row = tensor({0.5f, -0.7f, 0.9f}).requires_grad_();
    const Tensor lo = tensor({-1.0f, -0.3f, 0.05f}).requires_grad_();
    const Tensor hi = tensor({0.9f, 1.3f}, {2, 1}).requires_grad_();
    const Tensor w = test::input({3}, 67, 0.0f, 1.0f),
                 away = test::away_from_zero({2, 3}, 68, 0.3f);
    const Tensor frac = tensor({0.3f, 1.6f, -2.2f, 0.7f, -0.4f, 3.1f}, {2, 3}).requires_grad_();
    struct Case {
        const char* name;
        autograd::TensorFunction f;
        V inputs;
    };
    for (const Case& c : std::vector<Case>{
             {"clamp tensor bounds",
              [](const V& v) { return clamp(v[0], v[1], v[2]); },
              {ca, lo, hi}},
             {"clamp min only",
              [](const V& v) { return clamp(v[0], v[1], std::nullopt); },
              {ca, lo}},
             {"clamp max only",
              [](const V& v) { return clamp(v[0], std::nullopt, v[1]); },
              {ca, hi}},
             {"lerp scalar", [](const V& v) { return lerp(v[0], v[1], 0.3f); }, {a, b}},
             {"lerp scalar >= 0.5", [](const V& v) { return lerp(v[0], v[1], 0.8f); }, {a, b}},
             {"lerp tensor", [](const V& v) { return lerp(v[0], v[1], v[2]); }, {a, b, w}},
             {"atan2", [](const V& v) { return atan2(v[0], v[1]); }, {b, away}},
             {"atan2 broadcast", [](const V& v) { return atan2(v[0], v[1]); }, {b, row}},
             {"floor", [](const V& v) { return floor(v[0]) * v[0]; }, {frac}},
             {"round + trunc + ceil",
              [](const V& v) { return round(v[0]) + trunc(v[0]) + ceil(v[0]); },
              {frac}},
             {"nan_to_num", [](const V& v) { return nan_to_num(v[0]); }, {a}},
         }) {
        INFO(c.name);
        CHECK_GRADIENTS(c.f, c.inputs);
    }
}

TEST_CASE("pointwise ops: errors name the call and the shapes") {
    const Tensor x = zeros({2, 3});
    CHECK_ERROR(ValueError, [&] { clamp(x, std::optional<Tensor>(), std::optional<Tensor>()); },
                {"clamp()", "at least one of min and max"});
    CHECK_ERROR(ValueError, [&] { clamp(x, std::optional<float>(), std::optional<float>()); },
                {"clamp()", "at least one"});
    CHECK_ERROR(ShapeError, [&] { clamp(x, zeros({4}), std::nullopt); },
                {"clamp()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { x.clamp(std::nullopt, zeros({3, 1})); }, {"clamp()", "(3, 1)"});
    CHECK_ERROR(ValueError, [&] { clamp(x, Tensor(), std::nullopt); },
                {"clamp()", "min", "undefined"});
    CHECK_ERROR(ShapeError, [&] { lerp(x, zeros({2}), 0.5f); }, {"lerp()", "(2, 3)", "(2)"});
    CHECK_ERROR(ShapeError, [&] { lerp(x, x, zeros({4})); }, {"lerp()", "(4)"});
    CHECK_ERROR(ShapeError, [&] { atan2(x, zeros({5})); }, {"atan2()", "(2, 3)", "(5)"});
    CHECK_ERROR(ValueError, [&] { floor(Tensor()); }, {"floor()", "undefined"});
    CHECK_ERROR(ValueError, [&] { nan_to_num(Tensor()); }, {"nan_to_num()", "undefined"});
}

TEST_CASE("clamp, atan2, rounding and nan_to_num read strided views as their values") {
    const Tensor a = randn({3, 4}).mul_(3.0f), b = randn({3, 4});
    const Tensor view = a.t(), lo = b.t();  // (4, 3) views, not contiguous
    REQUIRE(!view.is_contiguous());
    const Tensor dense = view.contiguous(), lo_dense = lo.contiguous();
    CHECK(equal(clamp(view, lo, std::nullopt), clamp(dense, lo_dense, std::nullopt)));
    CHECK(equal(atan2(view, lo), atan2(dense, lo_dense)));
    CHECK(equal(floor(view), floor(dense)));
    CHECK(equal(round(view), round(dense)));
    CHECK(equal(nan_to_num(view), nan_to_num(dense)));
}
