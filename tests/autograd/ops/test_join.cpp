// cat (concat) and stack: values at several dims, gradients (first and second order, some inputs
// without grad) and shape errors.
#include "support.hpp"
#include "support_float64.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

TEST_CASE("cat joins along an existing dim") {
    const Tensor a = tensor({1, 2, 3, 4}, {2, 2});
    CHECK_VALUES(cat({a, tensor({5, 6}, {1, 2})}, 0), {3, 2}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(cat({tensor({1, 2}, {2, 1}), tensor({3, 4, 5, 6}, {2, 2})}, 1), {2, 3},
                 {1, 3, 4, 2, 5, 6});
    CHECK_VALUES(concat({a, a}, -1), {2, 4}, {1, 2, 1, 2, 3, 4, 3, 4});
    CHECK_VALUES(cat({tensor({1}), tensor({2, 3}), tensor({4, 5, 6})}), {6}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(cat({a}), {2, 2}, {1, 2, 3, 4});
    CHECK_VALUES(cat({a, zeros({0, 2}), a}, 0), {4, 2}, {1, 2, 3, 4, 1, 2, 3, 4});
    // 3-D along the middle dim: (2, 1, 2) and (2, 2, 2) -> (2, 3, 2).
    const Tensor p = tensor({1, 2, 3, 4}, {2, 1, 2});
    const Tensor q = tensor({10, 20, 30, 40, 50, 60, 70, 80}, {2, 2, 2});
    CHECK_VALUES(cat({p, q}, 1), {2, 3, 2}, {1, 2, 10, 20, 30, 40, 3, 4, 50, 60, 70, 80});
    CHECK_VALUES(cat({q, p}, -2), {2, 3, 2}, {10, 20, 30, 40, 1, 2, 50, 60, 70, 80, 3, 4});
    // And along the last: (2, 2, 2) and (2, 2, 1).
    CHECK_VALUES(cat({q, tensor({1, 2, 3, 4}, {2, 2, 1})}, 2), {2, 2, 3},
                 {10, 20, 1, 30, 40, 2, 50, 60, 3, 70, 80, 4});
}

TEST_CASE("cat writes new storage") {
    Tensor a = tensor({1, 2}), b = tensor({3});
    Tensor c = cat({a, b});
    CHECK(c.data() != a.data());
    a.data()[0] = 9;
    CHECK(c.data()[0] == 1);
}

TEST_CASE("stack joins along a new dim") {
    const Tensor a = tensor({1, 2, 3}), b = tensor({4, 5, 6});
    CHECK_VALUES(stack({a, b}), {2, 3}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(stack({a, b}, 1), {3, 2}, {1, 4, 2, 5, 3, 6});
    CHECK_VALUES(stack({a, b}, -1), {3, 2}, {1, 4, 2, 5, 3, 6});
    CHECK_VALUES(stack({a, b}, -2), {2, 3}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(stack({scalar_tensor(1), scalar_tensor(2), scalar_tensor(3)}), {3}, {1, 2, 3});
    CHECK_VALUES(stack({a}), {1, 3}, {1, 2, 3});
    // Three (2, 2) at dims 0, 1 and 2.
    const Tensor x = tensor({1, 2, 3, 4}, {2, 2}), y = x * 10.0f, z = x * 100.0f;
    CHECK_VALUES(stack({x, y, z}, 0), {3, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 40, 100, 200, 300, 400});
    CHECK_VALUES(stack({x, y, z}, 1), {2, 3, 2}, {1, 2, 10, 20, 100, 200, 3, 4, 30, 40, 300, 400});
    CHECK_VALUES(stack({x, y, z}, 2), {2, 2, 3}, {1, 10, 100, 2, 20, 200, 3, 30, 300, 4, 40, 400});
}

TEST_CASE("cat and stack gradients match finite differences, first and second order") {
    const Tensor a = test::input({2, 3}, 1), b = test::input({1, 3}, 2), c = test::input({2, 4}, 3);
    const Tensor p = test::input({2, 1, 3}, 4), q = test::input({2, 2, 3}, 5);
    const Tensor a2 = test::input({2, 3}, 6), s = test::input({}, 7), r = test::input({3}, 8);
    for (const auto& [name, f, inputs] :
         std::vector<std::tuple<const char*, autograd::TensorFunction, V>>{
             {"cat dim 0",
              [](const V& v) {
                  return cat({v[0], v[1]}, 0);
              },
              {a, b}},
             {"cat dim 1",
              [](const V& v) {
                  return cat({v[0], v[1]}, 1);
              },
              {a, c}},
             {"cat dim -1, the same tensor twice",
              [](const V& v) {
                  return cat({v[0], v[0]}, -1);
              },
              {a}},
             {"cat 3-D middle",
              [](const V& v) {
                  return cat({v[0], v[1], v[0]}, 1);
              },
              {p, q}},
             {"cat 3-D last",
              [](const V& v) {
                  return cat({v[1], v[1]}, 2);
              },
              {p, q}},
             {"cat with a constant",
              [](const V& v) {
                  return cat({v[0], v[1]}, 0);
              },
              {a, b.detach()}},
             {"stack dim 0",
              [](const V& v) {
                  return stack({v[0], v[1]});
              },
              {a, a2}},
             {"stack dim 1",
              [](const V& v) {
                  return stack({v[0], v[1], v[0]}, 1);
              },
              {a, a2}},
             {"stack dim -1",
              [](const V& v) {
                  return stack({v[0], v[1]}, -1);
              },
              {a, a2}},
             {"stack 0-d",
              [](const V& v) {
                  return stack({v[0], v[0] * v[0]});
              },
              {s}},
             {"stack 1-D",
              [](const V& v) {
                  return stack({v[0], v[1]}, 1);
              },
              {r, test::input({3}, 9)}},
         }) {
        INFO(name);
        CHECK_GRADIENTS(f, inputs);
    }
}

TEST_CASE("cat sends each input its own part of the gradient") {
    Tensor a = tensor({1, 2, 3, 4}, {2, 2}).requires_grad_();
    Tensor b = tensor({5, 6}, {2, 1});  // needs no gradient
    Tensor c = tensor({7, 8}, {2, 1}).requires_grad_();
    const Tensor w = tensor({1, 2, 3, 4, 10, 20, 30, 40}, {2, 4});
    (cat({a, b, c}, 1) * w).sum().backward();
    CHECK_VALUES(a.grad(), {2, 2}, {1, 2, 10, 20});
    CHECK_VALUES(c.grad(), {2, 1}, {4, 40});
    CHECK_FALSE(b.grad().defined());

    Tensor x = tensor({1, 2}).requires_grad_();
    (stack({x, x, x * 2.0f}) * tensor({1, 1, 1, 1, 1, 1}, {3, 2})).sum().backward();
    CHECK_VALUES(x.grad(), {2}, {4, 4});  // 1 + 1 + 2
}

TEST_CASE("cat and stack errors name the op, the tensors and their shapes") {
    const Tensor a = zeros({2, 3});
    CHECK_ERROR(ShapeError,
                [&] {
                    cat({a, zeros({2, 4})}, 0);
                },
                {"cat()", "tensor 1", "(2, 4)", "tensor 0", "(2, 3)", "every dim except 0"});
    CHECK_ERROR(ShapeError,
                [&] {
                    cat({a, a, zeros({3, 3})}, 1);
                },
                {"cat()", "tensor 2", "(3, 3)", "(2, 3)", "except 1"});
    CHECK_ERROR(ShapeError,
                [&] {
                    concat({a, zeros({2, 3, 1})}, 0);
                },
                {"cat()", "tensor 1", "(2, 3, 1)", "(2, 3)"});
    CHECK_ERROR(ShapeError, [&] { cat({a, zeros({3})}, 0); }, {"cat()", "(3)", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { cat({a, a}, 2); }, {"cat()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { cat({a, a}, -3); }, {"cat()", "dim -3", "(2, 3)"});
    CHECK_ERROR(ShapeError, [&] { cat({scalar_tensor(1), scalar_tensor(2)}); }, {"cat()", "0-d"});
    CHECK_ERROR(ValueError, [&] { cat({}); }, {"cat()", "at least one"});
    CHECK_ERROR(ValueError, [&] { cat({a, Tensor()}); }, {"cat()", "undefined"});

    CHECK_ERROR(ShapeError,
                [&] {
                    stack({zeros({2}), zeros({3})});
                },
                {"stack()", "tensor 1", "(3)", "tensor 0", "(2)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    stack({a, a, zeros({3, 2})}, 1);
                },
                {"stack()", "tensor 2", "(3, 2)", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { stack({a, a}, 3); }, {"stack()", "dim 3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { stack({a, a}, -4); }, {"stack()", "dim -4", "(2, 3)"});
    CHECK_ERROR(ValueError, [&] { stack({}); }, {"stack()", "at least one"});
    CHECK_ERROR(ValueError, [&] { stack({Tensor()}); }, {"stack()", "undefined"});
}

TEST_CASE("cat and stack of float64, int64 and mixed tensors, gradients in float64") {
    const Tensor i = cat({tensor({1, 2}, kInt64), tensor({3}, kInt64)}, 0);
    CHECK(i.dtype() == kInt64);
    CHECK(i.to_vector<int64_t>() == std::vector<int64_t>{1, 2, 3});
    const Tensor b =
        stack({tensor(std::vector<bool>{true, false}), tensor(std::vector<bool>{false, false})}, 0);
    CHECK(b.dtype() == kBool);
    CHECK(b.to_vector<bool>() == std::vector<bool>{true, false, false, false});
    // promoted as PyTorch: int64 with float32 -> float32, float32 with float64 -> float64
    CHECK(cat({tensor({1}, kInt64), tensor({0.5f})}, 0).dtype() == kFloat32);
    const Tensor m = cat({tensor({0.1f}), tensor({1e-10}, kFloat64)}, 0);
    CHECK_F64(m, Shape{2}, {double(0.1f), 1e-10});
    Tensor x = test::doubles({2, 3}, 41), y = test::doubles({1, 3}, 42);
    CHECK_F64(cat({x, y}, 0).select(0, 2), Shape{3}, y.reshape({3}).to_vector<double>(), 0.0);
    auto f = [](const V& v) { return cat({v[1], v[0]}, 0); };
    CHECK(gradcheck(f, {x.requires_grad_(), y.requires_grad_()}));
    CHECK(gradgradcheck(f, {x, y}));
    CHECK(gradcheck(
        [](const V& v) {
            return stack({v[0], v[1].reshape({2, 3})}, 1);
        },
        {x, test::doubles({6}, 43).requires_grad_()}));
}
