// maximum, minimum, the comparisons (eq, ne, lt, le, gt, ge and their operators) and where: values
// with broadcasting, NaN, the tie rule, gradients (first and second order, 0-d to 3-D) and errors.
#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// True where t is NaN, as a list (for checking NaN positions, which Approx cannot).
std::vector<bool> nan_mask(const Tensor& t) {
    std::vector<bool> m;
    for (float v : t.to_vector()) m.push_back(std::isnan(v));
    return m;
}

}  // namespace

TEST_CASE("maximum and minimum forward values, with broadcasting and scalars") {
    const Tensor a = tensor({1, 5, -2, 4, 0, 3}, {2, 3});
    const Tensor row = tensor({2, 2, 2});
    CHECK_VALUES(maximum(a, row), {2, 3}, {2, 5, 2, 4, 2, 3});
    CHECK_VALUES(minimum(a, row), {2, 3}, {1, 2, -2, 2, 0, 2});
    CHECK_VALUES(maximum(row, a), {2, 3}, {2, 5, 2, 4, 2, 3});
    CHECK_VALUES(minimum(row, a), {2, 3}, {1, 2, -2, 2, 0, 2});
    // A column (2, 1) against a row (1, 3): the outer max (2, 3).
    const Tensor col = tensor({0, 10}, {2, 1}), r = tensor({-1, 5, 20}, {1, 3});
    CHECK_VALUES(maximum(col, r), {2, 3}, {0, 5, 20, 10, 10, 20});
    CHECK_VALUES(minimum(col, r), {2, 3}, {-1, 0, 0, -1, 5, 10});
    // 0-d against (2, 3), both orders, and 0-d against 0-d.
    CHECK_VALUES(maximum(a, scalar_tensor(1.5f)), {2, 3}, {1.5f, 5, 1.5f, 4, 1.5f, 3});
    CHECK_VALUES(minimum(scalar_tensor(1.5f), a), {2, 3}, {1, 1.5f, -2, 1.5f, 0, 1.5f});
    CHECK_VALUES(maximum(scalar_tensor(2), scalar_tensor(-3)), {}, {2});
    CHECK_VALUES(minimum(scalar_tensor(2), scalar_tensor(-3)), {}, {-3});
    // 3-D against a row.
    CHECK_VALUES(maximum(tensor({1, 6, 2, 7, 3, 8, 4, 9}, {2, 2, 2}), tensor({5, 5})), {2, 2, 2},
                 {5, 6, 5, 7, 5, 8, 5, 9});
}

TEST_CASE("compare ops on empty tensors and on views") {
    CHECK(maximum(zeros({0, 3}), zeros({3})).shape() == Shape{0, 3});
    CHECK(lt(zeros({2, 0}), scalar_tensor(1)).shape() == Shape{2, 0});
    CHECK(where(zeros({0, 1}), zeros({3}), scalar_tensor(1)).shape() == Shape{0, 3});
    // The second row of x is a view starting 3 floats into x's storage.
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor row = x.narrow(0, 1, 1);
    CHECK_VALUES(minimum(row, tensor({9, 0, 9})), {1, 3}, {4, 0, 6});
    CHECK_VALUES(row > 4.5f, {1, 3}, {0, 1, 1});
    CHECK_VALUES(where(tensor({1, 0, 1}), row, x), {2, 3}, {4, 2, 6, 4, 5, 6});
}

TEST_CASE("maximum and minimum propagate NaN from either operand, as torch.maximum") {
    const Tensor a = tensor({kNaN, 1, 2, kNaN}), b = tensor({1, kNaN, 0, kNaN});
    const std::vector<bool> expected = {true, true, false, true};
    CHECK(nan_mask(maximum(a, b)) == expected);
    CHECK(nan_mask(maximum(b, a)) == expected);
    CHECK(nan_mask(minimum(a, b)) == expected);
    CHECK(nan_mask(minimum(b, a)) == expected);
    CHECK(maximum(a, b).data()[2] == 2.0f);
    CHECK(minimum(a, b).data()[2] == 0.0f);
    // A broadcast NaN (a 0-d operand) poisons every element, whichever side it is on.
    const std::vector<bool> all(4, true);
    CHECK(nan_mask(maximum(tensor({1, 2, 3, 4}), scalar_tensor(kNaN))) == all);
    CHECK(nan_mask(maximum(scalar_tensor(kNaN), tensor({1, 2, 3, 4}))) == all);
    CHECK(nan_mask(minimum(tensor({1, 2, 3, 4}), scalar_tensor(kNaN))) == all);
    CHECK(nan_mask(minimum(scalar_tensor(kNaN), tensor({1, 2, 3, 4}))) == all);
}

TEST_CASE("comparisons return 0/1 masks, with broadcasting") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor b = tensor({3, 2, 7});
    CHECK_VALUES(eq(a, b), {2, 3}, {0, 1, 0, 0, 0, 0});
    CHECK_VALUES(ne(a, b), {2, 3}, {1, 0, 1, 1, 1, 1});
    CHECK_VALUES(lt(a, b), {2, 3}, {1, 0, 1, 0, 0, 1});
    CHECK_VALUES(le(a, b), {2, 3}, {1, 1, 1, 0, 0, 1});
    CHECK_VALUES(gt(a, b), {2, 3}, {0, 0, 0, 1, 1, 0});
    CHECK_VALUES(ge(a, b), {2, 3}, {0, 1, 0, 1, 1, 0});
    // The operators are the same functions.
    CHECK_VALUES(a == b, {2, 3}, {0, 1, 0, 0, 0, 0});
    CHECK_VALUES(a != b, {2, 3}, {1, 0, 1, 1, 1, 1});
    CHECK_VALUES(a < b, {2, 3}, {1, 0, 1, 0, 0, 1});
    CHECK_VALUES(a <= b, {2, 3}, {1, 1, 1, 0, 0, 1});
    CHECK_VALUES(a > b, {2, 3}, {0, 0, 0, 1, 1, 0});
    CHECK_VALUES(a >= b, {2, 3}, {0, 1, 0, 1, 1, 0});
    // Against a float.
    CHECK_VALUES(a == 2.0f, {2, 3}, {0, 1, 0, 0, 0, 0});
    CHECK_VALUES(a != 2.0f, {2, 3}, {1, 0, 1, 1, 1, 1});
    CHECK_VALUES(a < 2.0f, {2, 3}, {1, 0, 0, 0, 0, 0});
    CHECK_VALUES(a <= 2.0f, {2, 3}, {1, 1, 0, 0, 0, 0});
    CHECK_VALUES(a > 3.5f, {2, 3}, {0, 0, 0, 1, 1, 1});
    CHECK_VALUES(a >= 5.0f, {2, 3}, {0, 0, 0, 0, 1, 1});
    // Column (2, 1) against row (3), and 0-d against 0-d.
    CHECK_VALUES(tensor({1, 2}, {2, 1}) < tensor({0, 1.5f, 3}), {2, 3}, {0, 1, 1, 0, 0, 1});
    CHECK_VALUES(ge(tensor({1, 2}, {2, 1}), tensor({0, 1.5f, 3})), {2, 3}, {1, 0, 0, 1, 1, 0});
    CHECK_VALUES(scalar_tensor(1) < scalar_tensor(2), {}, {1});
    // NaN compares unequal to everything, itself included.
    const Tensor n = tensor({kNaN, kNaN}), m = tensor({kNaN, 1});
    CHECK_VALUES(eq(n, m), {2}, {0, 0});
    CHECK_VALUES(ne(n, m), {2}, {1, 1});
    CHECK_VALUES(lt(n, m), {2}, {0, 0});
    CHECK_VALUES(le(n, m), {2}, {0, 0});
    CHECK_VALUES(gt(n, m), {2}, {0, 0});
    CHECK_VALUES(ge(n, m), {2}, {0, 0});
}

TEST_CASE("comparisons with the scalar on either side") {
    const Tensor x = tensor({0.25f, 0.5f, 0.75f});
    CHECK_VALUES(0.5f < x, {3}, {0, 0, 1});
    CHECK_VALUES(0.5f <= x, {3}, {0, 1, 1});
    CHECK_VALUES(0.5f > x, {3}, {1, 0, 0});
    CHECK_VALUES(0.5f >= x, {3}, {1, 1, 0});
    CHECK_VALUES(0.5f == x, {3}, {0, 1, 0});
    CHECK_VALUES(0.5f != x, {3}, {1, 0, 1});
    // The mirror of the tensor-first forms.
    CHECK(equal(0.5f < x, x > 0.5f));
    CHECK(equal(0.5f >= x, x <= 0.5f));
    CHECK_FALSE((0.5f < x.detach().requires_grad_()).requires_grad());
}

TEST_CASE("comparisons do not require grad, and a mask is a constant factor") {
    const Tensor x = test::away_from_zero({2, 3}, 1), y = test::input({2, 3}, 2);
    for (const Tensor& m :
         {eq(x, y), ne(x, y), lt(x, y), le(x, y), gt(x, y), ge(x, y), x > 0.0f, x == x, x <= y}) {
        CHECK_FALSE(m.requires_grad());
        CHECK(m.grad_fn() == nullptr);
    }
    // x · [x > 0] is relu: its gradient is the mask itself.
    const Tensor mask = x > 0.0f;
    sum(x * mask).backward();
    CHECK(equal(x.grad(), mask));
}

TEST_CASE("where selects elementwise, broadcasting all three") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    // Any non-zero condition counts as true.
    CHECK_VALUES(where(tensor({1, 0, 2, 0, -1, 0}, {2, 3}), a, tensor({10, 20, 30})), {2, 3},
                 {1, 20, 3, 10, 5, 30});
    // A column condition, a row for a, a 0-d b.
    CHECK_VALUES(where(tensor({1, 0}, {2, 1}), tensor({1, 2, 3}), scalar_tensor(-1)), {2, 3},
                 {1, 2, 3, -1, -1, -1});
    // A row condition, a column for a, a full b.
    CHECK_VALUES(where(tensor({0, 1, 0}), tensor({7, 8}, {2, 1}), a), {2, 3}, {1, 7, 3, 4, 8, 6});
    // A 0-d condition picks a whole side, broadcast to the common shape.
    CHECK_VALUES(where(scalar_tensor(1), a, scalar_tensor(0)), {2, 3}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(where(scalar_tensor(0), a, scalar_tensor(9)), {2, 3}, {9, 9, 9, 9, 9, 9});
    CHECK_VALUES(where(scalar_tensor(0), scalar_tensor(1), scalar_tensor(2)), {}, {2});
    // The condition alone can set the shape.
    CHECK_VALUES(where(tensor({1, 0, 1}), scalar_tensor(1), scalar_tensor(2)), {3}, {1, 2, 1});
    // 3-D: cond (2, 1, 2), a (2, 2, 2), b (2) -> (2, 2, 2).
    CHECK_VALUES(
        where(tensor({1, 0, 0, 1}, {2, 1, 2}), arange(8).reshape({2, 2, 2}), tensor({-1, -2})),
        {2, 2, 2}, {0, -2, 2, -2, -1, 5, -1, 7});
    // A comparison as the condition, and a NaN on the side not taken does not leak.
    CHECK_VALUES(where(a > 3.5f, a, scalar_tensor(0)), {2, 3}, {0, 0, 0, 4, 5, 6});
    CHECK_VALUES(where(tensor({1, 0}), tensor({1, kNaN}), tensor({kNaN, 2})), {2}, {1, 2});
}

TEST_CASE("maximum and minimum split the gradient equally on ties") {
    const Tensor g = tensor({2, 4, 6});
    {
        Tensor a = tensor({1, 2, 3}).requires_grad_(), b = tensor({1, 0, 3}).requires_grad_();
        maximum(a, b).backward(g);
        CHECK_VALUES(a.grad(), {3}, {1, 4, 3});
        CHECK_VALUES(b.grad(), {3}, {1, 0, 3});
    }
    {
        Tensor a = tensor({1, 2, 3}).requires_grad_(), b = tensor({1, 0, 3}).requires_grad_();
        minimum(a, b).backward(g);
        CHECK_VALUES(a.grad(), {3}, {1, 0, 3});
        CHECK_VALUES(b.grad(), {3}, {1, 4, 3});
    }
    {
        // A broadcast 0-d operand collects its share from every element: 1/2 per tie, 1 per win.
        Tensor a = tensor({2, 1, 3, 2, 2, 0}, {2, 3}).requires_grad_();
        Tensor b = scalar_tensor(2).requires_grad_();
        sum(maximum(a, b)).backward();
        CHECK_VALUES(a.grad(), {2, 3}, {0.5f, 0, 1, 0.5f, 0.5f, 0});
        CHECK_VALUES(b.grad(), {}, {3.5f});
    }
    {
        Tensor a = tensor({2, 1, 3, 2, 2, 0}, {2, 3}).requires_grad_();
        Tensor b = scalar_tensor(2).requires_grad_();
        sum(minimum(a, b)).backward();
        CHECK_VALUES(a.grad(), {2, 3}, {0.5f, 1, 0, 0.5f, 0.5f, 1});
        CHECK_VALUES(b.grad(), {}, {2.5f});
    }
    {
        // maximum(x, x): each side gets half, and the leaf, used twice, sums them back to g.
        Tensor x = tensor({-1, 0, 1}).requires_grad_();
        maximum(x, x).backward(g);
        CHECK_VALUES(x.grad(), {3}, {2, 4, 6});
    }
}

TEST_CASE("maximum and minimum with NaN send the gradient to both operands, as PyTorch") {
    // PyTorch's rule, g/2 on a tie and g elsewhere except to the side that lost: NaN compares
    // neither way, so neither side lost. torch: a = tensor([nan, 1., nan, 2., 2., 3.]),
    // b = tensor([1., nan, nan, 2., 1., 4.]), g = tensor([1., 2., 3., 4., 5., 6.]):
    // torch.maximum(a, b).backward(g) -> a.grad = [1, 2, 3, 2, 5, 0], b.grad = [1, 2, 3, 2, 0, 6];
    // torch.minimum(a, b).backward(g) -> a.grad = [1, 2, 3, 2, 0, 6], b.grad = [1, 2, 3, 2, 5, 0]
    const Tensor g = tensor({1, 2, 3, 4, 5, 6});
    {
        Tensor a = tensor({kNaN, 1, kNaN, 2, 2, 3}).requires_grad_();
        Tensor b = tensor({1, kNaN, kNaN, 2, 1, 4}).requires_grad_();
        maximum(a, b).backward(g);
        CHECK_VALUES(a.grad(), {6}, {1, 2, 3, 2, 5, 0});
        CHECK_VALUES(b.grad(), {6}, {1, 2, 3, 2, 0, 6});
    }
    {
        Tensor a = tensor({kNaN, 1, kNaN, 2, 2, 3}).requires_grad_();
        Tensor b = tensor({1, kNaN, kNaN, 2, 1, 4}).requires_grad_();
        minimum(a, b).backward(g);
        CHECK_VALUES(a.grad(), {6}, {1, 2, 3, 2, 0, 6});
        CHECK_VALUES(b.grad(), {6}, {1, 2, 3, 2, 5, 0});
    }
    {
        // Broadcast, summed back. torch: a = tensor([[nan], [1.]]), b = tensor([0., 2., nan]);
        // torch.maximum(a, b).sum().backward() -> a.grad = [[3], [2]], b.grad = [1, 2, 2]
        Tensor a = tensor({kNaN, 1}, {2, 1}).requires_grad_();
        Tensor b = tensor({0, 2, kNaN}).requires_grad_();
        sum(maximum(a, b)).backward();
        CHECK_VALUES(a.grad(), {2, 1}, {3, 2});
        CHECK_VALUES(b.grad(), {3}, {1, 2, 2});
    }
}

TEST_CASE("where sends the gradient to the side taken, summed over broadcast dims") {
    const Tensor cond = tensor({1, 0, 1, 0, 0, 1}, {2, 3});
    Tensor a = test::input({2, 3}, 1), b = test::input({3}, 2);
    where(cond, a, b).backward(tensor({1, 2, 3, 4, 5, 6}, {2, 3}));
    CHECK_VALUES(a.grad(), {2, 3}, {1, 0, 3, 0, 0, 6});
    CHECK_VALUES(b.grad(), {3}, {4, 7, 0});
    // A constant on one side: only the other receives a gradient.
    Tensor c = test::input({2, 3}, 3);
    where(cond, scalar_tensor(0), c).backward(ones({2, 3}));
    CHECK_VALUES(c.grad(), {2, 3}, {0, 1, 0, 1, 1, 0});
}

TEST_CASE("compare gradients match finite differences, 0-d to 3-D, with broadcasting") {
    // maximum / minimum: one operand in ±[0.1, 1), the other in [-0.05, 0.05): never closer than
    // 0.05, beyond gradcheck's steps, so no tie is crossed; either operand wins somewhere.
    const auto big = [](const Shape& s, uint64_t seed) { return test::away_from_zero(s, seed); };
    const auto small = [](const Shape& s, uint64_t seed) {
        return test::input(s, seed, -0.05f, 0.05f);
    };
    const autograd::TensorFunction max_f = [](const V& v) { return maximum(v[0], v[1]); };
    const autograd::TensorFunction min_f = [](const V& v) { return minimum(v[0], v[1]); };
    const autograd::TensorFunction where_f = [](const V& v) { return where(v[0], v[1], v[2]); };
    const autograd::TensorFunction smooth_max = [](const V& v) {
        return maximum(v[0], v[1]) * minimum(v[1], v[0]) + maximum(v[0], v[1]) * v[0];
    };
    const auto mask = [](const Shape& s, uint64_t seed) { return test::input(s, seed) > 0.0f; };
    for (const auto& [name, f, inputs] :
         std::vector<std::tuple<const char*, autograd::TensorFunction, V>>{
             {"maximum 0-d", max_f, {big({}, 1), small({}, 2)}},
             {"maximum 1-D", max_f, {big({5}, 3), small({5}, 4)}},
             {"maximum 2-D", max_f, {big({3, 4}, 5), small({3, 4}, 6)}},
             {"maximum 3-D", max_f, {small({2, 3, 4}, 7), big({2, 3, 4}, 8)}},
             {"maximum row", max_f, {big({3, 4}, 9), small({4}, 10)}},
             {"maximum col+row", max_f, {big({3, 1}, 11), small({1, 4}, 12)}},
             {"maximum 0-d vs 3-D", max_f, {small({}, 13), big({2, 3, 4}, 14)}},
             {"maximum 3-D vs (3, 1)", max_f, {big({2, 3, 4}, 15), small({3, 1}, 16)}},
             {"minimum 0-d", min_f, {big({}, 17), small({}, 18)}},
             {"minimum 1-D", min_f, {small({5}, 19), big({5}, 20)}},
             {"minimum 2-D", min_f, {big({3, 4}, 21), small({3, 4}, 22)}},
             {"minimum 3-D", min_f, {big({2, 3, 4}, 23), small({2, 3, 4}, 24)}},
             {"minimum row", min_f, {small({4}, 25), big({3, 4}, 26)}},
             {"minimum col+row", min_f, {big({3, 1}, 27), small({1, 4}, 28)}},
             {"minimum 3-D vs 0-d", min_f, {big({2, 3, 4}, 29), small({}, 30)}},
             {"maximum · minimum", smooth_max, {big({3, 4}, 31), small({4}, 32)}},
             {"where 0-d", where_f, {scalar_tensor(1), test::input({}, 33), test::input({}, 34)}},
             {"where 1-D", where_f, {mask({5}, 35), test::input({5}, 36), test::input({5}, 37)}},
             {"where 2-D",
              where_f,
              {mask({3, 4}, 38), test::input({3, 4}, 39), test::input({3, 4}, 40)}},
             {"where 3-D",
              where_f,
              {mask({2, 3, 4}, 41), test::input({2, 3, 4}, 42), test::input({2, 3, 4}, 43)}},
             {"where cond col, a row, b full",
              where_f,
              {mask({3, 1}, 44), test::input({4}, 45), test::input({3, 4}, 46)}},
             {"where a 0-d, b row",
              where_f,
              {mask({3, 4}, 47), test::input({}, 48), test::input({4}, 49)}},
             {"where 3-D cond, a (3, 1), b (2, 1, 4)",
              where_f,
              {mask({2, 3, 4}, 50), test::input({3, 1}, 51), test::input({2, 1, 4}, 52)}},
             {"where of products",
              [](const V& v) { return where(v[0], v[1] * v[2], v[2] * v[2]); },
              {mask({3, 4}, 53), test::input({3, 4}, 54), test::input({4}, 55)}},
         }) {
        INFO(name);
        CHECK(gradcheck(f, inputs));
        CHECK(gradgradcheck(f, inputs));
    }
}

TEST_CASE("compare errors name the op and the shapes") {
    const Tensor a = zeros({2, 3}), b = zeros({4});
    CHECK_ERROR(ShapeError, [&] { maximum(a, b); }, {"maximum()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { minimum(a, b); }, {"minimum()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { eq(a, b); }, {"eq()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { ne(a, b); }, {"ne()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { lt(a, b); }, {"lt()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { le(a, b); }, {"le()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { gt(a, b); }, {"gt()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { ge(a, b); }, {"ge()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { a == zeros({3, 2}); }, {"eq()", "(2, 3)", "(3, 2)"});
    CHECK_ERROR(ShapeError, [&] { a != zeros({3, 2}); }, {"ne()", "(2, 3)", "(3, 2)"});
    CHECK_ERROR(ShapeError, [&] { a < zeros({3, 2}); }, {"lt()", "(2, 3)", "(3, 2)"});
    CHECK_ERROR(ShapeError, [&] { a <= zeros({3, 2}); }, {"le()", "(2, 3)", "(3, 2)"});
    CHECK_ERROR(ShapeError, [&] { a > zeros({3, 2}); }, {"gt()", "(2, 3)", "(3, 2)"});
    CHECK_ERROR(ShapeError, [&] { a >= zeros({3, 2}); }, {"ge()", "(2, 3)", "(3, 2)"});
    // where names all three shapes as given, whichever pair fails.
    const Tensor col = zeros({2, 1}), row = zeros({3}), one = zeros({1});
    CHECK_ERROR(ShapeError, [&] { where(col, row, b); }, {"where()", "(2, 1)", "(3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { where(a, b, one); }, {"where()", "(2, 3)", "(4)", "(1)"});

    CHECK_ERROR(ValueError, [&] { maximum(a, Tensor()); }, {"maximum()", "undefined"});
    CHECK_ERROR(ValueError, [&] { minimum(Tensor(), a); }, {"minimum()", "undefined"});
    CHECK_ERROR(ValueError, [&] { eq(Tensor(), a); }, {"eq()", "undefined"});
    CHECK_ERROR(ValueError, [&] { ne(a, Tensor()); }, {"ne()", "undefined"});
    CHECK_ERROR(ValueError, [&] { lt(a, Tensor()); }, {"lt()", "undefined"});
    CHECK_ERROR(ValueError, [&] { le(a, Tensor()); }, {"le()", "undefined"});
    CHECK_ERROR(ValueError, [&] { gt(a, Tensor()); }, {"gt()", "undefined"});
    CHECK_ERROR(ValueError, [&] { ge(a, Tensor()); }, {"ge()", "undefined"});
    CHECK_ERROR(ValueError, [&] { Tensor() > 0.5f; }, {"gt()", "undefined"});
    CHECK_ERROR(ValueError, [&] { where(Tensor(), a, a); }, {"where()", "cond", "undefined"});
    CHECK_ERROR(ValueError, [&] { where(a, Tensor(), a); }, {"where()", "a is", "undefined"});
    CHECK_ERROR(ValueError, [&] { where(a, a, Tensor()); }, {"where()", "b is", "undefined"});
}
