// argmax / argmin / max(dim) / min(dim) as int64 tensors, sort, argsort, topk and nonzero: forward
// against naive loops, ties and NaN as PyTorch, gradients through the indices, errors.
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {
std::vector<int64_t> ints(const Tensor& t) { return t.to_vector<int64_t>(); }
const float qnan = std::nanf("");
}  // namespace

TEST_CASE("argmax and argmin return int64 tensors, first of ties, NaN as the maximum") {
    const Tensor p = tensor({1, 5, 5, 0, 7, 2}, {2, 3});
    CHECK(p.argmax(1).dtype() == kInt64);
    CHECK(ints(p.argmax(1)) == std::vector<int64_t>{1, 1});
    CHECK(ints(argmin(p, 0)) == std::vector<int64_t>{1, 0, 1});
    CHECK(p.argmax().shape() == Shape{});
    CHECK(p.argmax().item<int64_t>() == 4);
    CHECK(argmax(p, 1, true).shape() == Shape{2, 1});
    CHECK(ints(argmax(tensor({1, qnan, 3}), 0)) == std::vector<int64_t>{1});
    CHECK(ints(argmin(tensor({1, qnan, -3}), 0)) == std::vector<int64_t>{1});
    CHECK(ints(argmax(tensor({1, 3, 2}, kInt64))) == std::vector<int64_t>{1});
    CHECK(ints(argmax(tensor({1, 3, 2}).to(kFloat64), 0)) == std::vector<int64_t>{1});
    std::ostringstream s;
    s << p.argmax(1);
    CHECK(s.str().find('1') != std::string::npos);
    CHECK_ERROR(IndexError, [&] { p.argmax(2); }, {"argmax()", "dim 2"});
}

TEST_CASE("max(dim) and min(dim) return (values, int64 indices), the gradient to the index") {
    const Tensor x = tensor({1, 5, 5, 0, 7, 2}, {2, 3});
    auto [v, i] = x.max(1);
    CHECK_VALUES(v, {2}, {5, 7});
    CHECK(ints(i) == std::vector<int64_t>{1, 1});
    auto [vk, ik] = min(x, 0, true);
    CHECK_VALUES(vk, {1, 3}, {0, 5, 2});
    CHECK(ik.shape() == Shape{1, 3});
    CHECK(ints(ik) == std::vector<int64_t>{1, 0, 1});
    Tensor y = x.detach().requires_grad_();
    std::get<0>(y.max(1)).sum().backward();
    CHECK_VALUES(y.grad(), {2, 3}, {0, 1, 0, 0, 1, 0});  // the first of the tied 5s only
    const Tensor z = test::input({3, 4}, 7);
    const autograd::TensorFunction f = [](const V& a) { return std::get<0>(max(a[0], 1)); };
    const autograd::TensorFunction g = [](const V& a) { return std::get<0>(min(a[0], 0, true)); };
    CHECK(gradcheck(f, {z}));
    CHECK(gradgradcheck(test::squared(f), {z}));
    CHECK(gradcheck(g, {z}));
    CHECK(gradgradcheck(test::squared(g), {z}));
}

TEST_CASE("sort and argsort: stable, NaN last ascending and first descending") {
    const Tensor x = tensor({3, 1, qnan, 1, 2}, {5});
    auto [v, i] = sort(x);
    CHECK(ints(i) == std::vector<int64_t>{1, 3, 4, 0, 2});
    CHECK(std::isnan(v.to_vector()[4]));
    auto [vd, id] = x.sort(0, true);
    CHECK(ints(id) == std::vector<int64_t>{2, 0, 4, 1, 3});  // ties keep their order
    CHECK(ints(argsort(x, -1, true)) == ints(id));
    // 2-D along dim 0 against std::stable_sort per column
    const Tensor m = test::input({4, 3}, 5).detach();
    const Tensor idx = m.argsort(0);
    const std::vector<float> mv = m.to_vector();
    for (int64_t c = 0; c < 3; ++c) {
        std::vector<int64_t> order(4);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int64_t p, int64_t q) { return mv[p * 3 + c] < mv[q * 3 + c]; });
        for (int64_t r = 0; r < 4; ++r) CHECK(idx.index({r, c}).item<int64_t>() == order[r]);
    }
    const autograd::TensorFunction f = [](const V& a) { return std::get<0>(sort(a[0], 1, true)); };
    CHECK(gradcheck(f, {test::input({3, 4}, 9)}));
    CHECK(gradgradcheck(test::squared(f), {test::input({3, 4}, 9)}));
}

TEST_CASE("topk: the k largest (smallest), NaN as largest, gradient through the indices") {
    const Tensor x = tensor({4, 9, 1, 9, qnan, 0}, {2, 3});
    auto [v, i] = x.topk(2);
    CHECK(ints(i) == std::vector<int64_t>{1, 0, 1, 0});
    CHECK(std::isnan(v.to_vector()[2]));
    auto [vs, is] = topk(x, 1, 0, /*largest=*/false);
    CHECK(ints(is) == std::vector<int64_t>{0, 0, 1});  // 9 < NaN
    CHECK(vs.shape() == Shape{1, 3});
    const autograd::TensorFunction f = [](const V& a) { return std::get<0>(topk(a[0], 2, 1)); };
    CHECK(gradcheck(f, {test::input({3, 4}, 11)}));
    CHECK(gradgradcheck(test::squared(f), {test::input({3, 4}, 11)}));
    CHECK_ERROR(IndexError, [&] { topk(x, 4, 1); }, {"topk()", "k = 4", "dim 1", "size 3"});
}

TEST_CASE("nonzero gives (n, ndim) int64 positions for any dtype") {
    const Tensor x = tensor({0, 2, 0, 3, 0, qnan}, {2, 3});
    const Tensor nz = x.nonzero();
    CHECK(nz.dtype() == kInt64);
    CHECK(nz.shape() == Shape{3, 2});
    CHECK(ints(nz) == std::vector<int64_t>{0, 1, 1, 0, 1, 2});
    CHECK(ints(nonzero(tensor(std::vector<bool>{true, false, true}))) ==
          std::vector<int64_t>{0, 2});
    CHECK(nonzero(zeros({2, 2}, kInt64)).shape() == Shape{0, 2});
}
