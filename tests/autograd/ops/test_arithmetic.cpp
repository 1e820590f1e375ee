// add, sub, mul, div, neg, pow and the operators: values, gradients (first and second order,
// with broadcasting) and shape errors.
#include "support.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

TEST_CASE("arithmetic forward values, with broadcasting and scalars") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor b = tensor({10, 20, 30});
    CHECK_VALUES(a + b, {2, 3}, {11, 22, 33, 14, 25, 36});
    CHECK_VALUES(a - b, {2, 3}, {-9, -18, -27, -6, -15, -24});
    CHECK_VALUES(a * b, {2, 3}, {10, 40, 90, 40, 100, 180});
    CHECK_VALUES(b / a, {2, 3}, {10, 10, 10, 2.5f, 4, 5});
    CHECK_VALUES(-a, {2, 3}, {-1, -2, -3, -4, -5, -6});
    CHECK_VALUES(a.pow(2.0f), {2, 3}, {1, 4, 9, 16, 25, 36});
    CHECK_VALUES(pow(a, tensor({1, 0.5f, 2})), {2, 3}, {1, 1.41421356f, 9, 4, 2.23606798f, 36});
    CHECK_VALUES(2.0f - a * 0.5f, {2, 3}, {1.5f, 1, 0.5f, 0, -0.5f, -1});
    CHECK_VALUES(1.0f / (a + 1.0f), {2, 3}, {0.5f, 1 / 3.f, 0.25f, 0.2f, 1 / 6.f, 1 / 7.f});
    // A column (2, 1) against a row (3): the outer sum (2, 3).
    CHECK_VALUES(tensor({1, 2}, {2, 1}) + b, {2, 3}, {11, 21, 31, 12, 22, 32});
}

TEST_CASE("arithmetic gradients match finite differences, same shapes and broadcast") {
    const Tensor x = test::input({3, 4}, 1), y = test::input({3, 4}, 2);
    const Tensor row = test::input({4}, 3), col = test::input({3, 1}, 4), s = test::input({}, 5);
    const Tensor pos = test::input({3, 4}, 6, 0.5f, 2.0f),
                 pos_row = test::input({4}, 7, 0.5f, 2.0f);
    for (const auto& [name, f, inputs] :
         std::vector<std::tuple<const char*, autograd::TensorFunction, V>>{
             {"add", [](const V& v) { return v[0] + v[1]; }, {x, y}},
             {"add row", [](const V& v) { return v[0] + v[1]; }, {x, row}},
             {"add col+row", [](const V& v) { return v[0] + v[1]; }, {col, row}},
             {"sub scalar tensor", [](const V& v) { return v[1] - v[0]; }, {x, s}},
             {"mul", [](const V& v) { return v[0] * v[1]; }, {x, y}},
             {"mul col", [](const V& v) { return v[0] * v[1]; }, {x, col}},
             {"div", [](const V& v) { return v[0] / v[1]; }, {x, pos}},
             {"div by row", [](const V& v) { return v[0] / v[1]; }, {x, pos_row}},
             {"neg", [](const V& v) { return -v[0]; }, {x}},
             {"pow 3", [](const V& v) { return v[0].pow(3.0f); }, {x}},
             {"pow -1.5", [](const V& v) { return v[0].pow(-1.5f); }, {pos}},
             {"pow tensor", [](const V& v) { return pow(v[0], v[1]); }, {pos, y}},
             {"pow tensor row", [](const V& v) { return pow(v[0], v[1]); }, {pos, row}},
             {"scalar operators",
              [](const V& v) { return 2.0f * v[0] - 1.0f / (v[1] + 3.0f); },
              {x, pos}},
         }) {
        INFO(name);
        CHECK(gradcheck(f, inputs));
        CHECK(gradgradcheck(f, inputs));
    }
}

TEST_CASE("arithmetic with an input that needs no gradient") {
    Tensor x = test::input({2, 3}, 1);
    Tensor c = ones({2, 3});  // a constant
    Tensor y = (x * c).sum();
    y.backward();
    CHECK(equal(x.grad(), ones({2, 3})));
    CHECK_FALSE(c.grad().defined());
}

TEST_CASE("arithmetic shape errors name the op and both shapes") {
    const Tensor a = zeros({2, 3}), b = zeros({4});
    CHECK_ERROR(ShapeError, [&] { add(a, b); }, {"add()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { a* zeros({3, 2}); }, {"mul()", "(2, 3)", "(3, 2)"});
    CHECK_ERROR(ShapeError, [&] { sub(a, b); }, {"sub()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { div(a, b); }, {"div()", "(2, 3)", "(4)"});
    CHECK_ERROR(ShapeError, [&] { pow(a, b); }, {"pow()", "(2, 3)", "(4)"});
    CHECK_ERROR(ValueError, [&] { add(a, Tensor()); }, {"add()", "undefined"});
}
