// slice, narrow, select, index_select and gather: values (Python slicing rules, negative indices,
// repeats), batches that share storage, gradients (first and second order) and errors.
#include "support.hpp"

#include <cmath>

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

TEST_CASE("slice follows Python slicing: negative indices count from the end, ranges clamp") {
    const Tensor a = test::iota({3, 4});  // [[0 1 2 3] [4 5 6 7] [8 9 10 11]]
    CHECK_VALUES(slice(a, 0, 1, 3), {2, 4}, {4, 5, 6, 7, 8, 9, 10, 11});
    CHECK_VALUES(slice(a, 1, 1, 3), {3, 2}, {1, 2, 5, 6, 9, 10});
    CHECK_VALUES(slice(a, -1, -3, -1), {3, 2}, {1, 2, 5, 6, 9, 10});
    CHECK_VALUES(a.slice(0, -1, 100), {1, 4}, {8, 9, 10, 11});
    CHECK_VALUES(slice(a, 1, -100, 100), {3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    CHECK_VALUES(slice(a, 1, 3, 4), {3, 1}, {3, 7, 11});
    CHECK_VALUES(slice(a, 0, -2, 3), {2, 4}, {4, 5, 6, 7, 8, 9, 10, 11});
    CHECK(slice(a, 0, 2, 1).shape() == Shape{0, 4});    // end before start: empty
    CHECK(slice(a, 1, 5, 10).shape() == Shape{3, 0});   // start past the end: empty
    CHECK(slice(a, 1, -9, -7).shape() == Shape{3, 0});  // both before the start: empty
    CHECK(slice(a, 0, 3, 3).shape() == Shape{0, 4});

    // 3-D, the middle dim: (2, 3, 2) -> (2, 1, 2), rows j = 1 of each batch.
    CHECK_VALUES(slice(test::iota({2, 3, 2}), 1, 1, 2), {2, 1, 2}, {2, 3, 8, 9});
}

TEST_CASE("narrow and select forward values") {
    const Tensor a = test::iota({3, 4});
    CHECK_VALUES(narrow(a, 1, 2, 2), {3, 2}, {2, 3, 6, 7, 10, 11});
    CHECK_VALUES(a.narrow(-2, 1, 1), {1, 4}, {4, 5, 6, 7});
    CHECK_VALUES(narrow(a, 0, 0, 3), {3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    CHECK(narrow(a, 1, 4, 0).shape() == Shape{3, 0});

    CHECK_VALUES(select(a, 0, 1), {4}, {4, 5, 6, 7});
    CHECK_VALUES(select(a, 0, -1), {4}, {8, 9, 10, 11});
    CHECK_VALUES(select(a, 1, 0), {3}, {0, 4, 8});
    CHECK_VALUES(a.select(-1, -1), {3}, {3, 7, 11});
    CHECK_VALUES(select(tensor({5, 6, 7}), 0, 2), {}, {7});
    CHECK_VALUES(select(test::iota({2, 3, 2}), 1, 2), {2, 2}, {4, 5, 10, 11});
}

TEST_CASE("index_select picks entries in the given order, repeats included") {
    const Tensor a = test::iota({3, 4});
    CHECK_VALUES(index_select(a, 0, {2, 0, 2}), {3, 4}, {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11});
    CHECK_VALUES(a.index_select(1, {3, 3, 0}), {3, 3}, {3, 3, 0, 7, 7, 4, 11, 11, 8});
    CHECK_VALUES(index_select(a, -1, {1}), {3, 1}, {1, 5, 9});
    CHECK(index_select(a, 0, {}).shape() == Shape{0, 4});
    // The middle dim of (2, 3, 2): out[o][j][k] = a[o][index[j]][k].
    CHECK_VALUES(index_select(test::iota({2, 3, 2}), 1, {2, 1, 2, 0}), {2, 4, 2},
                 {4, 5, 2, 3, 4, 5, 0, 1, 10, 11, 8, 9, 10, 11, 6, 7});
}

TEST_CASE("gather picks one entry per position of the other dims") {
    // Each row's class score: logits (3, 4), labels {1, 0, 3}.
    const Tensor logits = tensor({0.5f, 2.0f, -1.0f, 0.0f,    //
                                  3.0f, 0.1f, 0.2f, 0.3f,     //
                                  -2.0f, -1.5f, 1.0f, 4.5f},  //
                                 {3, 4});
    CHECK_VALUES(gather(logits, 1, {1, 0, 3}), {3, 1}, {2.0f, 3.0f, 4.5f});
    CHECK_VALUES(logits.gather(-1, {3, 3, 0}), {3, 1}, {0.0f, 0.3f, -2.0f});

    const Tensor a = test::iota({3, 4});
    // Along dim 0: one row per column, out[0][k] = a[index[k]][k].
    CHECK_VALUES(gather(a, 0, {2, 0, 1, 2}), {1, 4}, {8, 1, 6, 11});
    // The middle dim of (2, 3, 2): out[o][0][k] = a[o][index[o·2 + k]][k] = 6 o + 2 index + k.
    CHECK_VALUES(gather(test::iota({2, 3, 2}), 1, {2, 0, 1, 1}), {2, 1, 2}, {4, 1, 8, 9});
    CHECK_VALUES(gather(tensor({4, 5, 6}), 0, {1}), {1}, {5});
}

TEST_CASE("slicing along dim 0 is a view: a minibatch shares the dataset's storage") {
    Tensor data = test::iota({5, 3});
    Tensor batch = slice(data, 0, 2, 4);
    CHECK(batch.data() == data.data() + 2 * 3);
    data.data()[7] = 70;  // row 2, col 1
    CHECK(batch.data()[1] == 70);
    batch.data()[5] = -5;  // row 3, col 2
    CHECK(data.data()[11] == -5);

    Tensor row = select(data, 0, 4);
    CHECK(row.data() == data.data() + 12);
    Tensor n = narrow(data, 0, 1, 3);
    CHECK(n.data() == data.data() + 3);
    // 3-D: a range of the first axis is one contiguous block too.
    Tensor cube = test::iota({4, 2, 3});
    CHECK(slice(cube, 0, -2, 4).data() == cube.data() + 12);
    // Along a later dim, the block is contiguous only if all dims before it have size 1.
    Tensor one_row = test::iota({1, 6});
    CHECK(slice(one_row, 1, 2, 5).data() == one_row.data() + 2);
    // A view of a view keeps the offset.
    CHECK(slice(batch, 0, 1, 2).data() == data.data() + 9);
    CHECK(reshape(batch, {6}).data() == data.data() + 6);
}

TEST_CASE("ops on a minibatch view read from the view's offset") {
    const Tensor data = test::iota({4, 3});
    const Tensor batch = slice(data, 0, 2, 4);  // [[6 7 8] [9 10 11]]
    CHECK_VALUES(clone(batch), {2, 3}, {6, 7, 8, 9, 10, 11});
    CHECK_VALUES(t(batch), {3, 2}, {6, 9, 7, 10, 8, 11});
    CHECK_VALUES(index_select(batch, 1, {2, 0}), {2, 2}, {8, 6, 11, 9});
    CHECK_VALUES(gather(batch, 1, {1, 2}), {2, 1}, {7, 11});
    CHECK_VALUES(slice(batch, 1, 1, 3), {2, 2}, {7, 8, 10, 11});
    CHECK_VALUES(matmul(batch, tensor({1, 0, -1})), {2}, {-2, -2});
    CHECK_VALUES(cat({batch, slice(data, 0, 0, 1)}, 0).reshape({-1}), {9},
                 {6, 7, 8, 9, 10, 11, 0, 1, 2});
    CHECK_VALUES(softmax(slice(tensor({0, 0, 1, 2, 3, 4}, {3, 2}), 0, 2, 3), 1), {1, 2},
                 {1 / (1 + std::exp(1.0f)), std::exp(1.0f) / (1 + std::exp(1.0f))});
}

TEST_CASE("indexing gradients put the gradient back where values came from") {
    Tensor x = tensor({1, 2, 3, 4, 5, 6}, {3, 2}).requires_grad_();
    index_select(x, 0, {0, 0, 2, 0}).sum().backward();
    CHECK_VALUES(x.grad(), {3, 2}, {3, 3, 0, 0, 1, 1});  // row 0 picked three times

    Tensor y = tensor({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
    (gather(y, 1, {2, 0}) * tensor({10, 20}, {2, 1})).sum().backward();
    CHECK_VALUES(y.grad(), {2, 3}, {0, 0, 10, 20, 0, 0});

    Tensor z = tensor({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
    (slice(z, 1, 1, 3) * 2.0f).sum().backward();
    CHECK_VALUES(z.grad(), {2, 3}, {0, 2, 2, 0, 2, 2});

    Tensor w = tensor({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
    // select twice from the same tensor: the gradients add.
    (select(w, 0, 1) + select(w, 0, -1) * 3.0f).sum().backward();
    CHECK_VALUES(w.grad(), {2, 3}, {0, 0, 0, 4, 4, 4});
}

TEST_CASE("indexing gradients match finite differences, first and second order") {
    const Tensor x = test::input({3, 4}, 1), x3 = test::input({2, 3, 4}, 2);
    const Tensor v1 = test::input({5}, 3);
    for (const auto& [name, f, inputs] :
         std::vector<std::tuple<const char*, autograd::TensorFunction, V>>{
             {"slice dim 0", [](const V& v) { return slice(v[0], 0, 1, 3); }, {x}},
             {"slice dim 1 negative", [](const V& v) { return slice(v[0], 1, -3, -1); }, {x}},
             {"slice 3-D middle", [](const V& v) { return slice(v[0], 1, 1, 100); }, {x3}},
             {"slice 3-D last", [](const V& v) { return slice(v[0], -1, 0, 2); }, {x3}},
             {"slice 1-D", [](const V& v) { return slice(v[0], 0, 1, 4); }, {v1}},
             {"narrow", [](const V& v) { return narrow(v[0], 1, 1, 2); }, {x}},
             {"narrow 3-D dim 0", [](const V& v) { return narrow(v[0], 0, 1, 1); }, {x3}},
             {"select dim 0", [](const V& v) { return select(v[0], 0, 2); }, {x}},
             {"select 3-D middle", [](const V& v) { return select(v[0], 1, -2); }, {x3}},
             {"select 1-D", [](const V& v) { return select(v[0], 0, 3); }, {v1}},
             {"index_select repeats",
              [](const V& v) {
                  return index_select(v[0], 0, {0, 2, 0, 0});
              },
              {x}},
             {"index_select dim 1",
              [](const V& v) {
                  return index_select(v[0], 1, {3, 1, 3});
              },
              {x}},
             {"index_select 3-D",
              [](const V& v) {
                  return index_select(v[0], 1, {2, 2, 0});
              },
              {x3}},
             {"gather class scores",
              [](const V& v) {
                  return gather(v[0], 1, {3, 0, 1});
              },
              {x}},
             {"gather dim 0",
              [](const V& v) {
                  return gather(v[0], 0, {2, 2, 0, 1});
              },
              {x}},
             {"gather 3-D middle",
              [](const V& v) {
                  return gather(v[0], 1, {0, 1, 2, 2, 1, 0, 0, 0});
              },
              {x3}},
             {"gather 3-D last",
              [](const V& v) {
                  return gather(v[0], 2, {3, 0, 1, 2, 3, 0});
              },
              {x3}},
         }) {
        INFO(name);
        CHECK_GRADIENTS(f, inputs);
    }
}

TEST_CASE("slice, narrow and select errors name the op, the range and the shape") {
    const Tensor a = zeros({3, 4});
    CHECK_ERROR(IndexError, [&] { slice(a, 2, 0, 1); }, {"slice()", "dim 2", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { slice(a, -3, 0, 1); }, {"slice()", "dim -3", "(3, 4)"});
    CHECK_ERROR(ShapeError, [&] { slice(scalar_tensor(1), 0, 0, 1); }, {"slice()", "0-d"});

    CHECK_ERROR(IndexError, [&] { narrow(a, 1, 2, 3); },
                {"narrow()", "[2, 5)", "dim 1", "size 4", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { narrow(a, 0, -1, 1); },
                {"narrow()", "[-1, 0)", "dim 0", "size 3", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { narrow(a, 0, 1, -1); }, {"narrow()", "dim 0", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { narrow(a, 2, 0, 1); }, {"narrow()", "dim 2", "(3, 4)"});
    CHECK_ERROR(ShapeError, [&] { narrow(scalar_tensor(1), 0, 0, 1); }, {"narrow()", "0-d"});

    CHECK_ERROR(IndexError, [&] { select(a, 0, 3); },
                {"select()", "index 3", "dim 0", "size 3", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { select(a, 1, -5); },
                {"select()", "index -5", "dim 1", "size 4", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { select(a, 2, 0); }, {"select()", "dim 2", "(3, 4)"});
    CHECK_ERROR(ShapeError, [&] { select(scalar_tensor(1), 0, 0); }, {"select()", "0-d"});
    CHECK_ERROR(ValueError, [&] { select(Tensor(), 0, 0); }, {"select()", "undefined"});
}

TEST_CASE("index_select and gather errors name the index, the dim size and the shape") {
    const Tensor a = zeros({3, 4});
    CHECK_ERROR(IndexError,
                [&] {
                    index_select(a, 1, {0, 5});
                },
                {"index_select()", "index[1] = 5", "dim 1", "size 4", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { index_select(a, 0, {-1}); },
                {"index_select()", "index[0] = -1", "dim 0", "size 3", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { index_select(a, 2, {0}); },
                {"index_select()", "dim 2", "(3, 4)"});
    CHECK_ERROR(ShapeError, [&] { index_select(scalar_tensor(1), 0, {0}); },
                {"index_select()", "0-d"});

    CHECK_ERROR(IndexError,
                [&] {
                    gather(a, 1, {0, 4, 1});
                },
                {"gather()", "index[1] = 4", "dim 1", "size 4", "(3, 4)"});
    CHECK_ERROR(IndexError,
                [&] {
                    gather(a, 0, {0, 1, 2, 3});
                },
                {"gather()", "index[3] = 3", "dim 0", "size 3", "(3, 4)"});
    CHECK_ERROR(IndexError,
                [&] {
                    gather(a, 1, {0, -2, 1});
                },
                {"gather()", "index[1] = -2", "size 4", "(3, 4)"});
    // One index per row is 3 along dim 1, one per column is 4 along dim 0.
    CHECK_ERROR(ShapeError,
                [&] {
                    gather(a, 1, {0, 1});
                },
                {"gather()", "2 indices", "(3, 4)", "dim 1", "(3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    gather(a, 0, {0, 1, 2});
                },
                {"gather()", "3 indices", "(3, 4)", "dim 0", "(4)"});
    CHECK_ERROR(IndexError, [&] { gather(a, -3, {0}); }, {"gather()", "dim -3", "(3, 4)"});
    CHECK_ERROR(ShapeError, [&] { gather(scalar_tensor(1), 0, {0}); }, {"gather()", "0-d"});
}

TEST_CASE("gather's double-backward node names itself ScatterAddBackward") {
    const Tensor x = test::iota({2, 3}).requires_grad_();
    const Tensor y = gather(x, 1, {2, 0});
    const auto g =
        autograd::grad({y}, {x}, {ones(y.shape()).requires_grad_()}, true, /*create_graph=*/true);
    CHECK(std::string(g[0].grad_fn()->name()) == "ScatterAddBackward");
}

// ---- basic indexing, as libtorch spells it ------------------------------------------------------

TEST_CASE("index() with integers, Slice, None and Ellipsis gives libtorch's views") {
    using namespace descent::indexing;
    const Tensor x = test::iota({4, 3, 2});  // x[i][j][k] = 6i + 2j + k
    // x[1::2, 0, None, ...] -> (2, 1, 2): rows 1 and 3, column 0
    const Tensor a = x.index({Slice(1, None, 2), 0, None, Ellipsis});
    CHECK(a.impl()->storage == x.impl()->storage);
    CHECK_VALUES(a, {2, 1, 2}, {6, 7, 18, 19});
    CHECK_VALUES(x.index({Slice(), 0}), {4, 2}, {0, 1, 6, 7, 12, 13, 18, 19});  // x[:, 0]
    CHECK_VALUES(x.index({Ellipsis, 1}), {4, 3}, {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23});
    CHECK_VALUES(x.index({-1, Slice(None, -1), -2}), {2}, {18, 20});  // x[-1, :-1, -2]
    CHECK_VALUES(x.index({2, 1, 0}), {}, {14});
    CHECK(x.index({None, Ellipsis, None}).shape() == Shape{1, 4, 3, 2, 1});
    CHECK(x.index({Slice(5, 10)}).shape() == Shape{0, 3, 2});  // clamps, as Python
    CHECK(x.index({}).shape() == Shape{4, 3, 2});
    // x[i]: select on dim 0, negative from the end
    CHECK_VALUES(x[1][2], {2}, {10, 11});
    CHECK_VALUES(x[-1][0], {2}, {18, 19});
    CHECK(x[0].impl()->storage == x.impl()->storage);
}

TEST_CASE("index_put_ writes through the indexed view into the tensor") {
    using namespace descent::indexing;
    Tensor x = zeros({3, 4});
    x.index_put_({Slice(), 0}, 5.0f);                      // x[:, 0] = 5
    x.index_put_({1, Slice(1, None, 2)}, tensor({7, 8}));  // x[1, 1::2] = [7, 8]
    x.index_put_({Ellipsis, -1, None}, ones({3, 1}));      // x[..., -1, None] = 1
    CHECK_VALUES(x, {3, 4}, {5, 0, 0, 1, 5, 7, 0, 1, 5, 0, 0, 1});
    x.index_put_({2}, tensor({9}));  // broadcast over row 2
    CHECK_VALUES(x[2], {4}, {9, 9, 9, 9});
    const uint64_t before = x.version();
    x.index_put_({0, 0}, 1.0f);
    CHECK(x.version() > before);
    CHECK_ERROR(ShapeError,
                [&] {
                    x.index_put_({0}, tensor({1, 2}));
                },
                {"index_put_()", "(2)", "(4)"});
    Tensor leaf = zeros({2}).requires_grad_();
    CHECK_ERROR(StateError, [&] { leaf.index_put_({0}, 1.0f); }, {"index_put_()", "requires grad"});
}

TEST_CASE("index() out of range: an IndexError naming the dim, the index and the size") {
    using namespace descent::indexing;
    const Tensor x = zeros({4, 3});
    CHECK_ERROR(IndexError,
                [&] {
                    x.index({Slice(), 3});
                },
                {"index()", "index 3", "dim 1", "size 3", "(4, 3)"});
    CHECK_ERROR(IndexError, [&] { x.index({-5}); }, {"index()", "index -5", "dim 0", "size 4"});
    CHECK_ERROR(IndexError, [&] { x.index({Ellipsis, 7}); }, {"index 7", "dim 1"});
    CHECK_ERROR(IndexError, [&] { x.index({0, 0, 0}); }, {"index()", "too many indices", "(4, 3)"});
    CHECK_ERROR(IndexError, [&] { x.index({Ellipsis, Ellipsis}); }, {"index()", "one Ellipsis"});
    CHECK_ERROR(ValueError, [&] { x.index({Slice(0, 4, 0)}); }, {"index()", "step", "0"});
    CHECK_ERROR(IndexError, [&] { (void)x[4]; }, {"select()", "index 4", "dim 0", "size 4"});
    CHECK_ERROR(ShapeError, [&] { (void)scalar_tensor(1)[0]; }, {"select()", "0-d"});
}

TEST_CASE("index() is differentiable through its views: first and second order") {
    using namespace descent::indexing;
    const Tensor x = test::input({4, 3, 2}, 21);
    const autograd::TensorFunction f = [](const V& v) {
        return v[0].index({Slice(1, None, 2), 0, None, Ellipsis}) * 3.0f;
    };
    CHECK(gradcheck(f, {x}));
    CHECK(gradgradcheck(f, {x}));
    const autograd::TensorFunction g = [](const V& v) { return v[0][-1].index({Ellipsis, 1}); };
    CHECK(gradcheck(g, {x}));
    CHECK(gradgradcheck(g, {x}));
    // The gradient lands only where index() read.
    Tensor y = zeros({3, 2}).requires_grad_();
    y.index({Slice(None, None, 2), 1}).sum().backward();
    CHECK_VALUES(y.grad(), {3, 2}, {0, 1, 0, 0, 0, 1});
}

TEST_CASE("index_put (out of place): values, first and second order gradients, refusals") {
    using namespace descent::indexing;
    // Forward against a naive loop: x[:, 1::2] = v for a (3, 4) x, v broadcast over the rows.
    const Tensor x = test::input({3, 4}, 5), v = test::input({2}, 6);
    const Tensor out = x.index_put({Slice(), Slice(1, None, 2)}, v);
    const std::vector<float> xs = x.to_vector(), vs = v.to_vector(), got = out.to_vector();
    for (int64_t i = 0; i < 3; ++i)
        for (int64_t j = 0; j < 4; ++j)
            CHECK(got[i * 4 + j] == (j % 2 == 1 ? vs[j / 2] : xs[i * 4 + j]));
    CHECK(equal(x, test::input({3, 4}, 5)));  // the input is left as it was
    CHECK(equal(index_put(x, {0}, 2.0f)[0], full({4}, 2.0f)));
    // The gradient reaches x outside the region and v through it (summed over the broadcast).
    const autograd::TensorFunction f = [](const V& t) {
        return index_put(t[0], {Slice(), Slice(1, None, 2)}, t[1]) * t[0];
    };
    CHECK(gradcheck(f, {x, v}));
    CHECK(gradgradcheck(f, {x, v}));
    const autograd::TensorFunction g = [](const V& t) {
        return t[0].index_put({Ellipsis, -1, None}, t[1].exp());
    };
    const Tensor column = test::input({3, 1}, 7);
    CHECK(gradcheck(g, {x, column}));
    CHECK(gradgradcheck(g, {x, column}));
    Tensor a = zeros({2, 3}).requires_grad_(), b = ones({3}).requires_grad_();
    index_put(a, {1}, b).sum().backward();
    CHECK_VALUES(a.grad(), {2, 3}, {1, 1, 1, 0, 0, 0});
    CHECK_VALUES(b.grad(), {3}, {1, 1, 1});
    // Refusals name the call and the shapes, before anything is copied.
    CHECK_ERROR(ShapeError,
                [&] {
                    index_put(x, {0}, tensor({1, 2}));
                },
                {"index_put()", "(2)", "(4)", "(3, 4)"});
    CHECK_ERROR(IndexError, [&] { index_put(x, {3}, 1.0f); }, {"index()", "index 3", "size 3"});
    CHECK_ERROR(ValueError, [&] { index_put(x, {0}, Tensor()); }, {"index_put", "value"});
    // The in-place form's refusal points here.
    Tensor y = zeros({2});
    CHECK_ERROR(StateError, [&] { y.index_put_({0}, b.sum()); },
                {"index_put_()", "requires grad", "index_put(x, {...}, value)"});
}
