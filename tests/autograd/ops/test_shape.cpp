// reshape/view, flatten, squeeze/unsqueeze, expand/broadcast_to, transpose, permute, t and clone:
// values, which of them share storage, gradients (first and second order) and errors.
#include "support.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

TEST_CASE("reshape, view and flatten forward values, with -1 inferred") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    CHECK_VALUES(reshape(a, {3, -1}), {3, 2}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(reshape(a, {-1}), {6}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(a.reshape({1, -1, 2}), {1, 3, 2}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(view(a, {6, 1}), {6, 1}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(a.view({3, 2}), {3, 2}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(reshape(tensor({7}), {}), {}, {7});  // one element to 0-d
    CHECK_VALUES(reshape(scalar_tensor(7), {1, 1}), {1, 1}, {7});
    CHECK(reshape(zeros({0, 3}), {3, -1, 2}).shape() == Shape{3, 0, 2});

    const Tensor b = test::iota({2, 3, 4});
    CHECK(flatten(b).shape() == Shape{24});
    CHECK(flatten(b, 1).shape() == Shape{2, 12});
    CHECK(flatten(b, 0, 1).shape() == Shape{6, 4});
    CHECK(b.flatten(-2, -1).shape() == Shape{2, 12});
    CHECK(flatten(b, 1, 1).shape() == Shape{2, 3, 4});
    CHECK(flatten(scalar_tensor(3)).shape() == Shape{1});
    CHECK(equal(flatten(b, 1), test::iota({2, 12})));
}

TEST_CASE("squeeze and unsqueeze forward shapes") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {1, 2, 1, 3});
    CHECK_VALUES(squeeze(a), {2, 3}, {1, 2, 3, 4, 5, 6});
    CHECK(squeeze(a, 0).shape() == Shape{2, 1, 3});
    CHECK(squeeze(a, 1).shape() == Shape{1, 2, 1, 3});  // size 2: left alone
    CHECK(a.squeeze(-2).shape() == Shape{1, 2, 3});
    CHECK(squeeze(ones({1, 1})).shape() == Shape{});
    CHECK(squeeze(scalar_tensor(2), 0).shape() == Shape{});

    const Tensor b = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    CHECK(unsqueeze(b, 0).shape() == Shape{1, 2, 3});
    CHECK(unsqueeze(b, 1).shape() == Shape{2, 1, 3});
    CHECK(unsqueeze(b, 2).shape() == Shape{2, 3, 1});  // the new position at the end
    CHECK(b.unsqueeze(-1).shape() == Shape{2, 3, 1});
    CHECK(unsqueeze(b, -3).shape() == Shape{1, 2, 3});
    CHECK(unsqueeze(scalar_tensor(2), 0).shape() == Shape{1});
    CHECK_VALUES(unsqueeze(b, 1), {2, 1, 3}, {1, 2, 3, 4, 5, 6});
}

TEST_CASE("expand and broadcast_to repeat size-1 and new leading dims") {
    const Tensor row = tensor({1, 2, 3});
    const Tensor col = tensor({1, 2}, {2, 1});
    CHECK_VALUES(expand(row, {2, 3}), {2, 3}, {1, 2, 3, 1, 2, 3});
    CHECK_VALUES(expand(col, {2, 3}), {2, 3}, {1, 1, 1, 2, 2, 2});
    CHECK_VALUES(col.expand({-1, 4}), {2, 4}, {1, 1, 1, 1, 2, 2, 2, 2});
    CHECK_VALUES(broadcast_to(col, {3, 2, 2}), {3, 2, 2}, {1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2});
    CHECK_VALUES(expand(scalar_tensor(5), {2, 2}), {2, 2}, {5, 5, 5, 5});
    // (2, 1, 2) to (2, 3, 2): the middle dim repeats each row.
    CHECK_VALUES(expand(tensor({1, 2, 3, 4}, {2, 1, 2}), {2, 3, 2}), {2, 3, 2},
                 {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4});
    CHECK(expand(ones({1, 3}), {0, 3}).shape() == Shape{0, 3});
    CHECK(equal(expand(row, {3}), row));  // nothing to repeat
}

TEST_CASE("transpose, permute and t forward values") {
    const Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    CHECK_VALUES(transpose(a, 0, 1), {3, 2}, {1, 4, 2, 5, 3, 6});
    CHECK_VALUES(a.transpose(-1, -2), {3, 2}, {1, 4, 2, 5, 3, 6});
    CHECK_VALUES(transpose(a, 1, 1), {2, 3}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(t(a), {3, 2}, {1, 4, 2, 5, 3, 6});
    CHECK_VALUES(a.permute({1, 0}), {3, 2}, {1, 4, 2, 5, 3, 6});
    CHECK_VALUES(permute(a, {0, 1}), {2, 3}, {1, 2, 3, 4, 5, 6});
    CHECK_VALUES(t(tensor({1, 2, 3})), {3}, {1, 2, 3});
    CHECK_VALUES(t(scalar_tensor(4)), {}, {4});
    CHECK_VALUES(transpose(scalar_tensor(4), 0, -1), {}, {4});

    // (2, 2, 2) with [i][j][k] = 100 i + 10 j + k, so every value names its source position.
    const Tensor c = tensor({0, 1, 10, 11, 100, 101, 110, 111}, {2, 2, 2});
    CHECK_VALUES(permute(c, {2, 0, 1}), {2, 2, 2}, {0, 10, 100, 110, 1, 11, 101, 111});
    CHECK_VALUES(transpose(c, 0, 2), {2, 2, 2}, {0, 100, 10, 110, 1, 101, 11, 111});
    CHECK_VALUES(permute(c, {-1, -2, -3}), {2, 2, 2}, {0, 100, 10, 110, 1, 101, 11, 111});

    // Larger, uneven shapes: out[k][i][j] = a[i][j][k] for permute {2, 0, 1} of (3, 4, 5).
    const Tensor d = test::iota({3, 4, 5});
    const Tensor p = permute(d, {2, 0, 1}).contiguous();  // a view: data() needs contiguous()
    REQUIRE(p.shape() == Shape{5, 3, 4});
    bool all = true;
    for (int64_t i = 0; i < 3; ++i)
        for (int64_t j = 0; j < 4; ++j)
            for (int64_t k = 0; k < 5; ++k)
                all = all && p.data()[(k * 3 + i) * 4 + j] == d.data()[(i * 4 + j) * 5 + k];
    CHECK(all);

    // A matrix larger than one 32×32 tile, with partial tiles on both sides.
    const Tensor m = test::iota({45, 70});
    const Tensor mt = t(m).contiguous();
    REQUIRE(mt.shape() == Shape{70, 45});
    all = true;
    for (int64_t r = 0; r < 45; ++r)
        for (int64_t c2 = 0; c2 < 70; ++c2)
            all = all && mt.data()[c2 * 45 + r] == m.data()[r * 70 + c2];
    CHECK(all);
    CHECK(equal(t(mt), m));
}

TEST_CASE("clone copies values into new storage") {
    Tensor a = tensor({1, 2, 3, 4}, {2, 2});
    Tensor c = clone(a);
    CHECK_VALUES(c, {2, 2}, {1, 2, 3, 4});
    CHECK(c.data() != a.data());
    a.data()[0] = 42;
    CHECK(c.data()[0] == 1);
    c.data()[3] = -1;
    CHECK(a.data()[3] == 4);
    CHECK(equal(a.clone(), a));
}

TEST_CASE("reshape, view, flatten, squeeze and unsqueeze share storage with their input") {
    Tensor a = tensor({1, 2, 3, 4, 5, 6}, {1, 2, 3});
    const std::vector<std::pair<const char*, Tensor>> views = {
        {"reshape", reshape(a, {3, -1})}, {"view", view(a, {6})},
        {"flatten", flatten(a)},          {"flatten(1)", flatten(a, 1)},
        {"squeeze", squeeze(a)},          {"squeeze(0)", squeeze(a, 0)},
        {"unsqueeze", unsqueeze(a, 2)},   {"view of a view", view(reshape(a, {6}), {2, 3})},
    };
    for (const auto& [name, v] : views) {
        INFO(name);
        CHECK(v.data() == a.data());
        CHECK_FALSE(v.is_same(a));
    }
    a.data()[4] = 50;  // written through the input, seen by every view
    for (const auto& [name, v] : views) {
        INFO(name);
        CHECK(v.data()[4] == 50);
    }
    Tensor v = views[0].second;
    v.data()[1] = -2;  // written through a view, seen by the input
    CHECK(a.data()[1] == -2);
}

// Views since tensors became strided (they copied before): expand, broadcast_to, permute and
// transpose share the input's storage, so a write to the input is seen through them; clone copies.
TEST_CASE("expand, permute and transpose are views, and clone writes new storage") {
    Tensor a = tensor({1, 2, 3, 4, 5, 6}, {2, 1, 3});
    const std::vector<std::pair<const char*, Tensor>> views = {
        {"expand", expand(a, {2, 2, 3})},   {"broadcast_to", broadcast_to(a, {4, 2, 1, 3})},
        {"permute", permute(a, {0, 2, 1})}, {"permute identity", permute(a, {0, 1, 2})},
        {"transpose", transpose(a, 0, 2)},
    };
    const Tensor copy = clone(a);
    const float before = copy.data()[0];
    a.data()[0] = 100;
    for (const auto& [name, v] : views) {
        INFO(name);
        CHECK(v.impl()->storage == a.impl()->storage);
        CHECK(v.to_vector()[0] == 100);  // element (0, ...) of each is a's first
    }
    CHECK(copy.data() != a.data());
    CHECK(copy.data()[0] == before);
}

TEST_CASE("shape ops pass gradients back: first and second order, 2-D and 3-D") {
    const Tensor x = test::input({3, 4}, 1), x3 = test::input({2, 3, 4}, 2);
    const Tensor row = test::input({4}, 3), col = test::input({3, 1}, 4);
    const Tensor mid = test::input({2, 1, 3}, 5), ones1 = test::input({1, 3, 1}, 6);
    const Tensor s = test::input({}, 7), y3 = test::input({2, 3, 4}, 8);
    for (const auto& [name, f, inputs] :
         std::vector<std::tuple<const char*, autograd::TensorFunction, V>>{
             {"reshape -1",
              [](const V& v) {
                  return reshape(v[0], {2, -1});
              },
              {x}},
             {"reshape 3-D to 2-D",
              [](const V& v) {
                  return reshape(v[0], {-1, 6});
              },
              {x3}},
             {"reshape 0-d",
              [](const V& v) {
                  return reshape(v[0], {1, 1});
              },
              {s}},
             {"view",
              [](const V& v) {
                  return view(v[0], {4, 3});
              },
              {x}},
             {"flatten", [](const V& v) { return flatten(v[0]); }, {x3}},
             {"flatten 1..2", [](const V& v) { return flatten(v[0], 1, 2); }, {x3}},
             {"squeeze", [](const V& v) { return squeeze(v[0]); }, {ones1}},
             {"squeeze dim", [](const V& v) { return squeeze(v[0], 1); }, {mid}},
             {"unsqueeze", [](const V& v) { return unsqueeze(v[0], 1); }, {x}},
             {"expand row",
              [](const V& v) {
                  return expand(v[0], {3, 4});
              },
              {row}},
             {"expand col",
              [](const V& v) {
                  return expand(v[0], {3, 4});
              },
              {col}},
             {"expand 3-D",
              [](const V& v) {
                  return expand(v[0], {4, 2, 5, 3});
              },
              {mid}},
             {"broadcast_to scalar",
              [](const V& v) {
                  return broadcast_to(v[0], {2, 3});
              },
              {s}},
             {"transpose", [](const V& v) { return transpose(v[0], 0, 1); }, {x}},
             {"transpose 3-D", [](const V& v) { return transpose(v[0], 0, 2); }, {x3}},
             {"permute 3-D",
              [](const V& v) {
                  return permute(v[0], {2, 0, 1});
              },
              {x3}},
             {"permute 3-D inverse",
              [](const V& v) {
                  return permute(v[0], {1, 2, 0});
              },
              {x3}},
             {"t", [](const V& v) { return t(v[0]); }, {x}},
             {"clone", [](const V& v) { return clone(v[0]); }, {x3}},
             // The shape op on one side of a product with another input: its backward is applied
             // to a gradient that depends on the other input.
             {"permute times y",
              [](const V& v) {
                  return permute(v[0], {1, 2, 0}) * v[1];
              },
              {x3, test::input({3, 4, 2}, 9)}},
             {"expand times y",
              [](const V& v) {
                  return expand(v[0], {2, 3, 4}) * v[1];
              },
              {row, y3}},
         }) {
        INFO(name);
        CHECK_GRADIENTS(f, inputs);
    }
}

TEST_CASE("expand sums the gradient over the repeated dims") {
    Tensor col = tensor({1, 2}, {2, 1}).requires_grad_();
    Tensor row = tensor({1, 2, 3}).requires_grad_();
    // Each weight counts once per copy: out = col expanded * row expanded, summed.
    (expand(col, {2, 3}) * expand(row, {2, 3})).sum().backward();
    CHECK_VALUES(col.grad(), {2, 1}, {6, 6});  // Σ row
    CHECK_VALUES(row.grad(), {3}, {3, 3, 3});  // Σ col
}

TEST_CASE("shape ops record only when an input requires grad") {
    const Tensor a = ones({2, 3});
    CHECK_FALSE(reshape(a, {6}).requires_grad());
    CHECK_FALSE(permute(a, {1, 0}).requires_grad());
    Tensor b = test::input({2, 3}, 1);
    const Tensor r = reshape(b, {3, 2});
    CHECK(r.requires_grad());
    CHECK(r.grad_fn() != nullptr);
    CHECK(std::string(r.grad_fn()->name()) == "ReshapeBackward");
    {
        NoGradGuard guard;
        CHECK_FALSE(reshape(b, {6}).requires_grad());
        CHECK_FALSE(expand(b, {2, 2, 3}).requires_grad());
    }
}

TEST_CASE("reshape and view errors name the op, both shapes and both element counts") {
    const Tensor a = zeros({2, 3});
    CHECK_ERROR(ShapeError,
                [&] {
                    reshape(a, {4, 2});
                },
                {"reshape()", "(2, 3)", "6 elements", "(4, 2)", "8 elements"});
    CHECK_ERROR(ShapeError, [&] { view(a, {5}); },
                {"view()", "(2, 3)", "6 elements", "(5)", "5 elements"});
    CHECK_ERROR(ShapeError,
                [&] {
                    a.reshape({4, -1});
                },
                {"reshape()", "(2, 3)", "6 elements", "(4, -1)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    reshape(zeros({0, 3}), {0, -1});
                },
                {"reshape()", "(0, 3)", "(0, -1)"});
    CHECK_ERROR(ValueError,
                [&] {
                    reshape(a, {-1, -1});
                },
                {"reshape()", "only one dim can be -1", "(-1, -1)"});
    CHECK_ERROR(ValueError, [&] { reshape(a, {-2, -3}); }, {"reshape()", "-2", "(-2, -3)"});
    CHECK_ERROR(ValueError, [&] { reshape(Tensor(), {1}); }, {"reshape()", "undefined"});
}

TEST_CASE("dim errors name the op, the dim and the shape") {
    const Tensor a = zeros({2, 3});
    CHECK_ERROR(IndexError, [&] { flatten(a, 2); }, {"flatten()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { flatten(a, 0, -3); }, {"flatten()", "dim -3", "(2, 3)"});
    CHECK_ERROR(ValueError, [&] { flatten(a, 1, 0); },
                {"flatten()", "start_dim 1", "end_dim 0", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { flatten(scalar_tensor(1), 3); }, {"flatten()", "dim 3", "()"});
    CHECK_ERROR(IndexError, [&] { squeeze(a, 2); }, {"squeeze()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { squeeze(a, -3); }, {"squeeze()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { squeeze(scalar_tensor(1), 2); }, {"squeeze()", "dim 2", "()"});
    CHECK_ERROR(IndexError, [&] { unsqueeze(a, 3); }, {"unsqueeze()", "dim 3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { unsqueeze(a, -4); }, {"unsqueeze()", "dim -4", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { transpose(a, 0, 2); }, {"transpose()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { transpose(a, -3, 0); }, {"transpose()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { transpose(scalar_tensor(1), 0, 1); },
                {"transpose()", "dim 1", "()"});
    CHECK_ERROR(IndexError, [&] { permute(a, {0, 2}); }, {"permute()", "dim 2", "(2, 3)"});
}

TEST_CASE("expand, permute and t errors") {
    const Tensor a = zeros({2, 3});
    CHECK_ERROR(ShapeError,
                [&] {
                    expand(a, {2, 4});
                },
                {"expand()", "(2, 3)", "(2, 4)", "dim 1", "size of 1"});
    CHECK_ERROR(ShapeError, [&] { expand(a, {4, 3}); }, {"expand()", "(2, 3)", "(4, 3)"});
    CHECK_ERROR(ShapeError, [&] { broadcast_to(a, {3}); },
                {"expand()", "(2, 3)", "(3)", "fewer dims"});
    CHECK_ERROR(ShapeError, [&] { expand(a, {2, 0}); }, {"expand()", "(2, 3)", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { expand(a, {-1, 2, 3}); }, {"expand()", "-1", "(-1, 2, 3)"});
    CHECK_ERROR(ShapeError, [&] { expand(ones({1, 3}), {-2, 3}); }, {"expand()", "(-2, 3)"});

    const Tensor c = zeros({2, 3, 4});
    CHECK_ERROR(ValueError,
                [&] {
                    permute(c, {0, 1, 0});
                },
                {"permute()", "dim 0", "twice", "(2, 3, 4)"});
    CHECK_ERROR(ValueError,
                [&] {
                    permute(c, {2, -1, 0});
                },
                {"permute()", "dim -1", "twice", "(2, 3, 4)"});
    CHECK_ERROR(ShapeError, [&] { permute(c, {1, 0}); }, {"permute()", "2 dims", "(2, 3, 4)"});
    CHECK_ERROR(ShapeError, [&] { t(c); }, {"t()", "(2, 3, 4)"});
    CHECK_ERROR(ValueError, [&] { clone(Tensor()); }, {"clone()", "undefined"});
}
