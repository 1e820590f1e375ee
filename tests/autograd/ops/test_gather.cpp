// gather, scatter, scatter_add, index_select and index_add with int64 index tensors: values against
// naive loops, gradients (first and second order), dtypes, and the errors for bad indices.
#include "support.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {
Tensor L(std::vector<int64_t> v, const Shape& shape) { return tensor(v, shape, kInt64); }
}  // namespace

TEST_CASE("gather with an int64 index tensor matches a naive loop on every dim") {
    const Tensor a = test::iota({3, 4});
    // dim 1: out[i][j] = a[i][index[i][j]]
    const Tensor i1 = L({3, 0, 1, 1, 2, 2}, {3, 2});
    CHECK_VALUES(gather(a, 1, i1), {3, 2}, {3, 0, 5, 5, 10, 10});
    CHECK_VALUES(a.gather(-1, i1), {3, 2}, {3, 0, 5, 5, 10, 10});
    // dim 0 with a smaller index: out[i][j] = a[index[i][j]][j]
    const Tensor i0 = L({2, 0, 1, 1, 0, 2}, {2, 3});
    CHECK_VALUES(gather(a, 0, i0), {2, 3}, {8, 1, 6, 4, 1, 10});
    // 3-D, the middle dim, against the loop
    const Tensor b = test::iota({2, 3, 2});
    const Tensor i3 = L({2, 0, 1, 1, 0, 0, 2, 1}, {2, 2, 2});
    const Tensor out = gather(b, 1, i3);
    const std::vector<int64_t> iv = i3.to_vector<int64_t>();
    for (int64_t i = 0; i < 2; ++i)
        for (int64_t j = 0; j < 2; ++j)
            for (int64_t k = 0; k < 2; ++k)
                CHECK(out.index({i, j, k}).item() ==
                      b.index({i, iv[(i * 2 + j) * 2 + k], k}).item());
    // int64 and float64 inputs move too
    CHECK(gather(L({5, 6, 7}, {3}), 0, L({2, 2, 0}, {3})).to_vector<int64_t>() ==
          std::vector<int64_t>{7, 7, 5});
    CHECK(gather(a.to(kFloat64), 1, i1).dtype() == kFloat64);
}

TEST_CASE("scatter, scatter_add and their values") {
    const Tensor a = zeros({2, 3});
    const Tensor idx = L({2, 0, 1, 1}, {2, 2});
    const Tensor src = tensor({1, 2, 3, 4}, {2, 2});
    CHECK_VALUES(scatter(a, 1, idx, src), {2, 3}, {2, 0, 1, 0, 4, 0});  // row 1: last write wins
    CHECK_VALUES(scatter_add(a, 1, idx, src), {2, 3}, {2, 0, 1, 0, 7, 0});
    CHECK_VALUES(a.scatter(1, idx, 9.0), {2, 3}, {9, 0, 9, 0, 9, 0});
    CHECK_VALUES(ones({3, 2}).scatter_add(0, L({2, 2}, {1, 2}), tensor({5, 6}, {1, 2})), {3, 2},
                 {1, 1, 1, 1, 6, 7});
    CHECK_VALUES(a, {2, 3}, {0, 0, 0, 0, 0, 0});  // out of place
}

TEST_CASE("index_select and index_add with int64 index tensors") {
    const Tensor a = test::iota({3, 4});
    CHECK_VALUES(index_select(a, 0, L({2, 0, 2}, {3})), {3, 4},
                 {8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11});
    CHECK_VALUES(a.index_select(1, L({3, 0}, {2})), {3, 2}, {3, 0, 7, 4, 11, 8});
    CHECK(index_select(L({4, 5, 6}, {3}), 0, L({1, 1}, {2})).to_vector<int64_t>() ==
          std::vector<int64_t>{5, 5});
    CHECK_VALUES(index_add(zeros({3, 2}), 0, L({0, 2, 0}, {3}), ones({3, 2}), 2.0), {3, 2},
                 {4, 4, 0, 0, 2, 2});
    CHECK_VALUES(ones({2, 3}).index_add(1, L({1}, {1}), tensor({5, 6}, {2, 1})), {2, 3},
                 {1, 6, 1, 1, 7, 1});
}

TEST_CASE("gather, scatter, scatter_add, index_select, index_add: gradcheck and gradgradcheck") {
    const Tensor x = test::input({3, 4}, 31), s = test::input({3, 2}, 32);
    const Tensor i1 = L({3, 0, 1, 1, 2, 0}, {3, 2});
    const Tensor iu = L({3, 0, 1, 2, 2, 0}, {3, 2});  // no repeat within a row: scatter's writes
    const Tensor ir = L({2, 0, 2}, {3});
    const std::vector<std::pair<const char*, autograd::TensorFunction>> cases = {
        {"gather", [=](const V& v) { return gather(v[0], 1, i1); }},
        {"scatter src", [=](const V& v) { return scatter(v[0], 1, iu, v[1]); }},
        {"scatter value", [=](const V& v) { return scatter(v[0], 1, i1, 2.0) + v[1].sum(); }},
        {"scatter_add", [=](const V& v) { return scatter_add(v[0], 1, i1, v[1]); }},
        {"index_select", [=](const V& v) { return index_select(v[0], 0, ir) + v[1].sum(); }},
        {"index_add",
         [=](const V& v) {
             return index_add(v[0], 1, L({3, 3}, {2}), v[1], 0.5);
         }},
    };
    for (const auto& [name, f] : cases) {
        INFO(name);
        CHECK(gradcheck(f, {x, s}));
        CHECK(gradgradcheck(test::squared(f), {x, s}));
    }
    // The gradient of gather lands at the picked positions, repeats summed.
    Tensor y = zeros({2, 3}).requires_grad_();
    gather(y, 1, L({2, 2, 0, 1}, {2, 2})).sum().backward();
    CHECK_VALUES(y.grad(), {2, 3}, {0, 0, 2, 1, 1, 0});
}

TEST_CASE("index ops refuse a non-int64 index and an index out of range, naming both") {
    const Tensor a = test::iota({3, 4});
    CHECK_ERROR(TypeError,
                [&] {
                    gather(a, 1, tensor({0, 1, 2}, {3, 1}));
                },
                {"gather()", "int64", "float32"});
    CHECK_ERROR(TypeError,
                [&] {
                    index_select(a, 0, tensor({0, 1}));
                },
                {"index_select()", "float32"});
    CHECK_ERROR(TypeError, [&] { scatter_add(a, 0, tensor({1.0f}).to(kFloat64), a); },
                {"scatter_add()", "float64"});
    CHECK_ERROR(IndexError,
                [&] {
                    gather(a, 1, L({0, 4, 1}, {3, 1}));
                },
                {"gather()", "index 4", "dim 1", "size 4"});
    CHECK_ERROR(IndexError,
                [&] {
                    scatter(a, 0, L({-1}, {1, 1}), 1.0);
                },
                {"scatter()", "index -1", "dim 0", "size 3"});
    CHECK_ERROR(IndexError,
                [&] {
                    index_select(a, 1, L({0, 7}, {2}));
                },
                {"index_select()", "index 7", "dim 1", "size 4"});
    CHECK_ERROR(IndexError,
                [&] {
                    index_add(a, 0, L({3}, {1}), ones({1, 4}));
                },
                {"index_add()", "index 3", "dim 0", "size 3"});
    CHECK_ERROR(ShapeError, [&] { gather(a, 1, L({0, 1}, {2})); }, {"gather()", "(2)", "(3, 4)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    scatter(a, 1, L({0, 1}, {1, 2}), ones({2, 2}));
                },
                {"scatter()", "src", "(2, 2)", "(1, 2)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    index_add(a, 0, L({0}, {1}), ones({2, 4}));
                },
                {"index_add()", "(2, 4)"});
}
