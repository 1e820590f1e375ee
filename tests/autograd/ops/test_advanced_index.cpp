// Advanced indexing as libtorch: int64 tensors select along a dim, bool tensors are masks; results
// are copies and differentiable; index_put_ and index_put write through tensor indices.
#include "support.hpp"

using namespace descent;
using namespace descent::indexing;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {
Tensor L(std::vector<int64_t> v) { return tensor(v); }
Tensor mask(std::vector<bool> v, const Shape& shape) { return tensor(v).reshape(shape); }
}  // namespace

TEST_CASE("an int64 tensor index picks entries of its dim, negatives from the end") {
    const Tensor x = test::iota({4, 3});
    const Tensor rows = x.index({L({2, 0, -1})});
    CHECK_VALUES(rows, {3, 3}, {6, 7, 8, 0, 1, 2, 9, 10, 11});
    CHECK(rows.impl()->storage != x.impl()->storage);  // a copy
    CHECK_VALUES(x.index({Slice(), L({2, 2})}), {4, 2}, {2, 2, 5, 5, 8, 8, 11, 11});
    CHECK_VALUES(x.index({Slice(1, 3), L({0})}), {2, 1}, {3, 6});
    // two index tensors broadcast together: x[[0, 3], [2, 1]] and x[[[0], [1]], [0, 2]]
    CHECK_VALUES(x.index({L({0, 3}), L({2, 1})}), {2}, {2, 10});
    CHECK_VALUES(x.index({tensor(std::vector<int64_t>{0, 1}).reshape({2, 1}), L({0, 2})}), {2, 2},
                 {0, 2, 3, 5});
    // separated tensor indices put the broadcast dims first, as PyTorch
    const Tensor y = test::iota({2, 3, 4});
    CHECK(y.index({L({0, 1}), Slice(), L({1, 3})}).shape() == Shape{2, 3});
    CHECK(y.index({Slice(), L({0, 2, 1})}).shape() == Shape{2, 3, 4});
    CHECK_VALUES(y.index({1, L({2}), Slice(None, 2)}), {1, 2}, {20, 21});
}

TEST_CASE("a bool tensor index is a mask over as many dims as it has") {
    const Tensor x = tensor({1, -2, 3, -4, 5, -6}, {2, 3});
    CHECK_VALUES(x.index({mask({true, false, true, false, true, false}, {2, 3})}), {3}, {1, 3, 5});
    CHECK_VALUES(x.index({mask({false, true}, {2})}), {1, 3}, {-4, 5, -6});
    CHECK_VALUES(x.index({Slice(), mask({true, false, true}, {3})}), {2, 2}, {1, 3, -4, -6});
    // A comparison converted to bool, as libtorch's x.index({x > 0}).
    CHECK_VALUES(x.index({(x > 0.0f).to(kBool)}), {3}, {1, 3, 5});
    CHECK_VALUES(x.index({tensor(std::vector<int64_t>{1}).reshape({})}), {3}, {-4, 5, -6});  // 0-d
    CHECK_ERROR(TypeError,
                [&] {
                    x.index({mask({true, false}, {2}).to(kUInt8)});
                },
                {"index()", "uint8"});
    CHECK_ERROR(IndexError,
                [&] {
                    x.index({mask({true, false}, {2}), mask({true}, {1})});
                },
                {"index()", "mask", "(1)"});
}

TEST_CASE("advanced indexing is differentiable: first and second order") {
    const Tensor x = test::input({4, 3}, 41);
    const autograd::TensorFunction f = [](const V& v) {
        return v[0].index({L({2, 0, 2}), Slice(1, None)});
    };
    const autograd::TensorFunction m = [](const V& v) {
        return v[0].index({mask({true, false, true, true}, {4})});
    };
    for (const auto& fn : {f, m}) {
        CHECK(gradcheck(fn, {x}));
        CHECK(gradgradcheck(test::squared(fn), {x}));
    }
    Tensor y = zeros({3}).requires_grad_();
    y.index({L({0, 0, 2})}).sum().backward();
    CHECK_VALUES(y.grad(), {3}, {2, 0, 1});
}

TEST_CASE("index_put_ and index_put with tensor indices") {
    Tensor x = test::iota({2, 3});
    x.index_put_({mask({true, false, true, false, false, true}, {2, 3})}, 0.0f);
    CHECK_VALUES(x, {2, 3}, {0, 1, 0, 3, 4, 0});
    x.index_put_({L({1}), L({0, 1})}, tensor({7, 8}));
    CHECK_VALUES(x, {2, 3}, {0, 1, 0, 7, 8, 0});
    Tensor v = zeros({4});
    Tensor view = v.slice(0, 1, 4);  // writes reach the base through a view
    view.index_put_({L({0, 2})}, tensor({5}));
    CHECK_VALUES(v, {4}, {0, 5, 0, 5});
    CHECK_ERROR(ShapeError,
                [&] {
                    x.index_put_({L({0, 1})}, ones({3, 3}));
                },
                {"index_put_()", "(3, 3)"});
    // out of place, differentiable in the input and the value
    const Tensor a = test::input({3, 2}, 43), val = test::input({2}, 44);
    const autograd::TensorFunction f = [](const V& w) {
        return index_put(w[0], {L({2, 0})}, w[1]);
    };
    CHECK(gradcheck(f, {a, val}));
    CHECK(gradgradcheck(test::squared(f), {a, val}));
    const Tensor out = index_put(a.detach(), {L({1})}, 9.0f);
    CHECK(out.index({1, 0}).item() == 9.0f);
    CHECK(a.index({1, 0}).item() != 9.0f);
}

TEST_CASE("a float tensor index is refused, naming its dtype") {
    const Tensor x = test::iota({3});
    CHECK_ERROR(TypeError, [&] { x.index({tensor({0, 1})}); }, {"index()", "float32"});
    CHECK_ERROR(IndexError, [&] { x.index({L({3})}); }, {"index()", "index 3", "size 3"});
}
