// sum, mean, max, min, var, argmax, argmin and sum_to_size: values over all elements and along a
// dim (keepdim, negative dims, 0-d, empty), ties and NaN, gradients (first and second order) and
// errors.
#include <cmath>
#include <limits>

#include "support.hpp"
#include "support_float64.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;
using Idx = std::vector<int64_t>;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// A leaf of distinct values 0.1 apart, in a scrambled order: max and min have no ties, and no
// runner-up within gradcheck's steps (2·eps = 0.02). 7 is coprime with every numel used here.
Tensor no_ties(const Shape& shape) {
    const int64_t n = numel(shape);
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[i] = static_cast<float>((i * 7 + 3) % n) * 0.1f - 0.05f * n;
    return tensor(v, shape).requires_grad_();
}

}  // namespace

TEST_CASE("sum and mean forward values: all, per dim, keepdim, negative dims") {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    CHECK_VALUES(sum(x), {}, {21});
    CHECK_VALUES(mean(x), {}, {3.5f});
    CHECK_VALUES(sum(x, 0), {3}, {5, 7, 9});
    CHECK_VALUES(sum(x, 1), {2}, {6, 15});
    CHECK_VALUES(sum(x, -1), {2}, {6, 15});
    CHECK_VALUES(sum(x, -2), {3}, {5, 7, 9});
    CHECK_VALUES(sum(x, 0, true), {1, 3}, {5, 7, 9});
    CHECK_VALUES(sum(x, -1, true), {2, 1}, {6, 15});
    CHECK_VALUES(mean(x, 0), {3}, {2.5f, 3.5f, 4.5f});
    CHECK_VALUES(mean(x, 1), {2}, {2, 5});
    CHECK_VALUES(mean(x, -2, true), {1, 3}, {2.5f, 3.5f, 4.5f});
    CHECK_VALUES(mean(x, -1, true), {2, 1}, {2, 5});
    // Method forms.
    CHECK_VALUES(x.sum(), {}, {21});
    CHECK_VALUES(x.sum(1, true), {2, 1}, {6, 15});
    CHECK_VALUES(x.mean(), {}, {3.5f});
    CHECK_VALUES(x.mean(0), {3}, {2.5f, 3.5f, 4.5f});

    // 3-D z[i][j][k] = 12i + 4j + k.
    const Tensor z = arange(24).reshape({2, 3, 4});
    CHECK_VALUES(sum(z, 0), {3, 4}, {12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34});
    CHECK_VALUES(sum(z, 1), {2, 4}, {12, 15, 18, 21, 48, 51, 54, 57});
    CHECK_VALUES(sum(z, -1), {2, 3}, {6, 22, 38, 54, 70, 86});
    CHECK_VALUES(sum(z, 1, true), {2, 1, 4}, {12, 15, 18, 21, 48, 51, 54, 57});
    CHECK_VALUES(mean(z, 1, true), {2, 1, 4}, {4, 5, 6, 7, 16, 17, 18, 19});
    CHECK_VALUES(mean(z, -3), {3, 4}, {6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
    CHECK_VALUES(sum(z), {}, {276});

    // 1-D, 0-d, and dims of size 1.
    CHECK_VALUES(sum(tensor({1, 2, 3}), 0), {}, {6});
    CHECK_VALUES(sum(tensor({1, 2, 3}), 0, true), {1}, {6});
    CHECK_VALUES(mean(tensor({1, 2, 3}), -1), {}, {2});
    const Tensor s = scalar_tensor(7);
    CHECK_VALUES(sum(s), {}, {7});
    CHECK_VALUES(sum(s, 0), {}, {7});
    CHECK_VALUES(sum(s, -1, true), {}, {7});
    CHECK_VALUES(mean(s, 0), {}, {7});
    CHECK_VALUES(sum(tensor({1, 2}, {2, 1}), 1), {2}, {1, 2});
    CHECK_VALUES(sum(tensor({1, 2}, {2, 1}), 0), {1}, {3});

    // Empty: the sum of nothing is 0; the mean of nothing is NaN, as in PyTorch.
    CHECK_VALUES(sum(zeros({2, 0}), 1), {2}, {0, 0});
    CHECK_VALUES(sum(zeros({2, 0}), 0), {0}, {});
    CHECK_VALUES(sum(zeros({0})), {}, {0});
    CHECK(std::isnan(mean(zeros({0})).item()));
}

TEST_CASE("reductions of a view into a larger storage") {
    // The second row of x is a view starting 3 floats into x's storage.
    const Tensor x = tensor({1, 2, 3, 7, 9, 8}, {2, 3});
    const Tensor row = x.narrow(0, 1, 1);
    CHECK_VALUES(sum(row), {}, {24});
    CHECK_VALUES(mean(row, 1), {1}, {8});
    CHECK_VALUES(std::get<0>(max(row, -1)), {1}, {9});
    CHECK_VALUES(min(row), {}, {7});
    CHECK_VALUES(var(row, false), {}, {0.6666667f});
    CHECK_VALUES(sum_to_size(row, {1}), {1}, {24});
    CHECK(argmax(row, 1).to_vector<int64_t>() == Idx{1});
    CHECK(argmin(row).to_vector<int64_t>() == Idx{0});
}

TEST_CASE("sum is accurate over many elements") {
    // 10^6 copies of 0.1f: a running float sum drifts by about 1%; the kernel's blocked sum in
    // double stays within a few 1e-6. And 1 + 10^6 copies of 1e-8: a running float sum drops every
    // small term (1.0 exactly); the blocked one loses only those sharing a lane with the 1.
    CHECK_VALUES(sum(full({1000, 1000}, 0.1f)), {}, {100000.0f}, 1e-5);
    CHECK_VALUES(sum(full({1000, 1000}, 0.1f), 1), {1000}, std::vector<float>(1000, 100.0f), 1e-5);
    Tensor t = full({1000001}, 1e-8f);
    t.data()[0] = 1.0f;
    CHECK_VALUES(sum(t), {}, {1.01f}, 1e-5);
}

TEST_CASE("max and min forward values, with NaN") {
    const Tensor y = tensor({3, -1, 4, 1, 5, -9}, {2, 3});
    CHECK_VALUES(max(y), {}, {5});
    CHECK_VALUES(min(y), {}, {-9});
    CHECK_VALUES(std::get<0>(max(y, 0)), {3}, {3, 5, 4});
    CHECK_VALUES(std::get<0>(max(y, 1)), {2}, {4, 5});
    CHECK_VALUES(std::get<0>(max(y, -1, true)), {2, 1}, {4, 5});
    CHECK_VALUES(std::get<0>(max(y, -2, true)), {1, 3}, {3, 5, 4});
    CHECK_VALUES(std::get<0>(min(y, 0)), {3}, {1, -1, -9});
    CHECK_VALUES(std::get<0>(min(y, 1)), {2}, {-1, -9});
    CHECK_VALUES(std::get<0>(min(y, -1, true)), {2, 1}, {-1, -9});
    CHECK_VALUES(y.max(), {}, {5});
    CHECK_VALUES(std::get<0>(y.min(1)), {2}, {-1, -9});
    CHECK_VALUES(std::get<0>(y.max(0, true)), {1, 3}, {3, 5, 4});

    const Tensor z = arange(24).reshape({2, 3, 4});  // z[i][j][k] = 12i + 4j + k
    CHECK_VALUES(std::get<0>(max(z, 1)), {2, 4}, {8, 9, 10, 11, 20, 21, 22, 23});
    CHECK_VALUES(std::get<0>(min(z, -1)), {2, 3}, {0, 4, 8, 12, 16, 20});
    CHECK_VALUES(std::get<0>(max(z, 0, true)), {1, 3, 4},
                 {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23});
    CHECK_VALUES(max(scalar_tensor(-2)), {}, {-2});
    CHECK_VALUES(std::get<0>(min(scalar_tensor(-2), 0)), {}, {-2});
    CHECK_VALUES(std::get<0>(max(scalar_tensor(-2), -1, true)), {}, {-2});
    // Reducing a non-empty dim of an empty tensor gives an empty result, not an error.
    CHECK(std::get<0>(max(zeros({2, 0}), 0)).shape() == Shape{0});

    // A NaN anywhere in the reduced elements makes the result NaN, wherever it sits.
    CHECK(std::isnan(max(tensor({1, kNaN, 3})).item()));
    CHECK(std::isnan(min(tensor({1, kNaN, 3})).item()));
    CHECK(std::isnan(max(tensor({kNaN, 1, 3})).item()));
    CHECK(std::isnan(min(tensor({1, 3, kNaN})).item()));
    const Tensor n = tensor({1, kNaN, 2, 3, 4, 5}, {2, 3});
    const Tensor mr = std::get<0>(max(n, 1)), mc = std::get<0>(min(n, 0));
    CHECK(std::isnan(mr.data()[0]));
    CHECK(mr.data()[1] == 5.0f);
    CHECK(mc.data()[0] == 1.0f);
    CHECK(std::isnan(mc.data()[1]));
    CHECK(mc.data()[2] == 2.0f);
}

TEST_CASE("var forward values, unbiased and biased") {
    const Tensor y = tensor({3, -1, 4, 1, 5, -9}, {2, 3});
    // Mean 0.5; squared deviations sum to 131.5 over 6 elements.
    CHECK_VALUES(var(y), {}, {26.3f});
    CHECK_VALUES(var(y, false), {}, {21.9166667f});
    CHECK_VALUES(y.var(), {}, {26.3f});
    // Rows {3, -1, 4} (mean 2, squares 14) and {1, 5, -9} (mean -1, squares 104). An int is a dim
    // (its own overload, so it is not taken for `bool unbiased`), as is an int64_t.
    CHECK_VALUES(var(y, 1), {2}, {7, 52});
    CHECK_VALUES(y.var(1), {2}, {7, 52});
    CHECK_VALUES(var(y, int64_t{1}), {2}, {7, 52});
    CHECK_VALUES(var(y, -1, false), {2}, {4.6666667f, 34.6666667f});
    CHECK_VALUES(var(y, 1, true, true), {2, 1}, {7, 52});
    // Columns {3, 1}, {-1, 5}, {4, -9}: squares 2, 18, 84.5.
    CHECK_VALUES(var(y, 0), {3}, {2, 18, 84.5f});
    CHECK_VALUES(var(y, -2, false), {3}, {1, 9, 42.25f});
    CHECK_VALUES(var(y, 0, false, true), {1, 3}, {1, 9, 42.25f});
    CHECK_VALUES(y.var(0, false, true), {1, 3}, {1, 9, 42.25f});
    // 3-D along the middle: z[i][:][k] = {c, c + 4, c + 8}, variance 16 (unbiased).
    CHECK_VALUES(var(arange(24).reshape({2, 3, 4}), int64_t{1}), {2, 4},
                 {16, 16, 16, 16, 16, 16, 16, 16});
    // Constant input: exactly 0. One element: 0 biased, NaN unbiased (0 / 0), as in PyTorch.
    CHECK_VALUES(var(full({3}, 2.5f)), {}, {0});
    CHECK_VALUES(var(scalar_tensor(4), false), {}, {0});
    CHECK(std::isnan(var(scalar_tensor(4)).item()));
    CHECK_VALUES(var(scalar_tensor(4), 0, false), {}, {0});
    CHECK_VALUES(var(tensor({1, 2}, {2, 1}), int64_t{1}, false), {2}, {0, 0});
}

TEST_CASE("argmax and argmin: first index wins ties, NaN counts as the extreme") {
    const Tensor t = tensor({1, 3, 3, 5, 3, 0}, {2, 3});
    CHECK(argmax(t).to_vector<int64_t>() == Idx{3});
    CHECK(argmin(t).to_vector<int64_t>() == Idx{5});
    CHECK(argmax(t, 1).to_vector<int64_t>() == Idx{1, 0});
    CHECK(argmax(t, -1).to_vector<int64_t>() == Idx{1, 0});
    CHECK(argmax(t, 0).to_vector<int64_t>() == Idx{1, 0, 0});
    CHECK(argmin(t, 1).to_vector<int64_t>() == Idx{0, 2});
    CHECK(argmin(t, 0).to_vector<int64_t>() == Idx{0, 0, 1});
    CHECK(argmin(t, -2).to_vector<int64_t>() == Idx{0, 0, 1});
    CHECK(t.argmax().to_vector<int64_t>() == Idx{3});
    CHECK(t.argmin(1).to_vector<int64_t>() == Idx{0, 2});
    // All tied: index 0 everywhere.
    CHECK(argmax(zeros({4})).to_vector<int64_t>() == Idx{0});
    CHECK(argmin(ones({2, 3}), 1).to_vector<int64_t>() == Idx{0, 0});
    CHECK(argmax(tensor({2, 7, 7, 7})).to_vector<int64_t>() == Idx{1});
    CHECK(argmin(tensor({7, 2, 2, 7})).to_vector<int64_t>() == Idx{1});
    // 3-D: one index per position of the other dims, in row-major order.
    const Tensor z = tensor({0, 9, 1, 8, 2, 7,  //
                             5, 5, 6, 4, 3, 6},
                            {2, 3, 2});
    CHECK(argmax(z, 1).to_vector<int64_t>() == Idx{2, 0, 1, 2});
    CHECK(argmin(z, 1).to_vector<int64_t>() == Idx{0, 2, 2, 1});
    CHECK(argmax(z, 2).to_vector<int64_t>() == Idx{1, 1, 1, 0, 0, 1});
    CHECK(argmax(z, 0).to_vector<int64_t>() == Idx{1, 0, 1, 0, 1, 0});
    CHECK(argmax(z).to_vector<int64_t>() == Idx{1});
    // 0-d.
    CHECK(argmax(scalar_tensor(3)).to_vector<int64_t>() == Idx{0});
    CHECK(argmin(scalar_tensor(3), 0).to_vector<int64_t>() == Idx{0});
    // NaN is the max and the min, as in PyTorch.
    CHECK(argmax(tensor({1, kNaN, 3})).to_vector<int64_t>() == Idx{1});
    CHECK(argmin(tensor({1, kNaN, -3})).to_vector<int64_t>() == Idx{1});
    CHECK(argmax(tensor({1, 2, kNaN, 4, 5, 6}, {2, 3}), 1).to_vector<int64_t>() == Idx{2, 2});
}

TEST_CASE("sum_to_size sums over the broadcast dims") {
    const Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    CHECK_VALUES(sum_to_size(x, {1, 3}), {1, 3}, {5, 7, 9});
    CHECK_VALUES(sum_to_size(x, {3}), {3}, {5, 7, 9});
    CHECK_VALUES(sum_to_size(x, {2, 1}), {2, 1}, {6, 15});
    CHECK_VALUES(sum_to_size(x, {1, 1}), {1, 1}, {21});
    CHECK_VALUES(sum_to_size(x, {1}), {1}, {21});
    CHECK_VALUES(sum_to_size(x, {}), {}, {21});
    CHECK_VALUES(x.sum_to_size({3}), {3}, {5, 7, 9});
    CHECK(sum_to_size(x, {2, 3}).is_same(x));        // nothing to sum: the tensor itself
    const Tensor z = arange(24).reshape({2, 3, 4});  // z[i][j][k] = 12i + 4j + k
    CHECK_VALUES(sum_to_size(z, {3, 1}), {3, 1}, {60, 92, 124});
    CHECK_VALUES(sum_to_size(z, {2, 1, 4}), {2, 1, 4}, {12, 15, 18, 21, 48, 51, 54, 57});
    CHECK_VALUES(sum_to_size(z, {1, 3, 1}), {1, 3, 1}, {60, 92, 124});
    CHECK_VALUES(sum_to_size(z, {4}), {4}, {60, 66, 72, 78});
}

TEST_CASE("reduction backward values by hand") {
    const Tensor x = tensor({3, -1, 4, 1, 5, -9}, {2, 3});
    // sum / mean: the gradient spread over the reduced dim (and divided by its size for mean).
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return sum(t, 0); }, x, tensor({1, 2, 3})),
                 {2, 3}, {1, 2, 3, 1, 2, 3});
    CHECK_VALUES(
        test::grad_of([](const Tensor& t) { return mean(t, 1, true); }, x, tensor({3, 6}, {2, 1})),
        {2, 3}, {1, 1, 1, 2, 2, 2});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return mean(t); }, x, scalar_tensor(3)),
                 {2, 3}, {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
    // max / min: all of it to the extreme.
    CHECK_VALUES(
        test::grad_of([](const Tensor& t) { return std::get<0>(max(t, 1)); }, x, tensor({1, 2})),
        {2, 3}, {0, 0, 1, 0, 2, 0});
    CHECK_VALUES(
        test::grad_of([](const Tensor& t) { return std::get<0>(min(t, 0)); }, x, tensor({1, 2, 3})),
        {2, 3}, {0, 2, 0, 1, 0, 3});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return min(t); }, x, scalar_tensor(4)), {2, 3},
                 {0, 0, 0, 0, 0, 4});
    // var: 2 (x - mean) / (n - 1), or / n biased. Row {3, -1, 4}: mean 2, deviations {1, -3, 2}.
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return var(t, 1); }, x, tensor({1, 0})),
                 {2, 3}, {1, -3, 2, 0, 0, 0});
    CHECK_VALUES(test::grad_of([](const Tensor& t) { return var(t, 1, false); }, x, tensor({1, 0})),
                 {2, 3}, {0.6666667f, -2, 1.3333333f, 0, 0, 0});
    // sum_to_size: the gradient broadcast back.
    const auto to_column = [](const Tensor& t) { return sum_to_size(t, Shape{2, 1}); };
    CHECK_VALUES(test::grad_of(to_column, x, tensor({5, 7}, {2, 1})), {2, 3}, {5, 5, 5, 7, 7, 7});
}

TEST_CASE("max and min (and amax / amin along a dim) split the gradient equally among ties") {
    // (max(x, dim) gives it to the returned index, as libtorch: test_sort.cpp)
    const Tensor t = tensor({2, 5, 5, 1, 1, 1}, {2, 3});
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return amax(a, 1); }, t, tensor({6, 3})),
                 {2, 3}, {0, 3, 3, 1, 1, 1});
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return max(a); }, t, scalar_tensor(1)), {2, 3},
                 {0, 0.5f, 0.5f, 0, 0, 0});
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return min(a); }, t, scalar_tensor(1)), {2, 3},
                 {0, 0, 0, 1 / 3.f, 1 / 3.f, 1 / 3.f});
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return amin(a, 0, true); }, t,
                               tensor({2, 4, 6}, {1, 3})),
                 {2, 3}, {0, 0, 0, 2, 4, 6});
    // Columns {2, 2} and {5, 5} tie; {5, 1} does not.
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return amax(a, -2); },
                               tensor({2, 5, 5, 2, 1, 5}, {2, 3}), tensor({2, 4, 6})),
                 {2, 3}, {1, 4, 3, 1, 0, 3});
}

TEST_CASE("max and min with NaN: the gradient goes to the NaN, not NaN to every element") {
    // NaN is the extreme, so its position takes the gradient, shared among NaNs as ties are.
    // torch: x = tensor([1., nan, 3., nan]); (x.max() * 2).backward() -> x.grad = [0, 1, 0, 1]
    const Tensor two_nans = tensor({1, kNaN, 3, kNaN});
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return max(a); }, two_nans, scalar_tensor(2)),
                 {4}, {0, 1, 0, 1});
    // torch: x = tensor([1., nan, -3., nan]); (x.min() * 2).backward() -> x.grad = [0, 1, 0, 1]
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return min(a); }, tensor({1, kNaN, -3, kNaN}),
                               scalar_tensor(2)),
                 {4}, {0, 1, 0, 1});
    // torch: x = tensor([1., nan, 3.]); (x.max() * 2).backward() -> x.grad = [0, 2, 0]
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return max(a); }, tensor({1, kNaN, 3}),
                               scalar_tensor(2)),
                 {3}, {0, 2, 0});
    // Along a dim, one NaN per row and no ties, where torch.max(x, dim).values (the gradient to
    // the index it returns) and descent's tie-splitting agree; torch.amax would give NaN to
    // the whole row. torch: x = tensor([[1., nan, 3., 2.], [1., 5., 4., 2.]]);
    // x.max(1).values.backward(tensor([2., 3.])) -> x.grad = [[0, 2, 0, 0], [0, 3, 0, 0]]
    const Tensor rows = tensor({1, kNaN, 3, 2, 1, 5, 4, 2}, {2, 4});
    CHECK_VALUES(
        test::grad_of([](const Tensor& a) { return std::get<0>(max(a, 1)); }, rows, tensor({2, 3})),
        {2, 4}, {0, 2, 0, 0, 0, 3, 0, 0});
    // torch: x = tensor([[1., nan, -3., 2.], [1., -5., 4., 2.]]);
    // x.min(1).values.backward(tensor([2., 3.])) -> x.grad = [[0, 2, 0, 0], [0, 3, 0, 0]]
    CHECK_VALUES(test::grad_of([](const Tensor& a) { return std::get<0>(min(a, 1)); },
                               tensor({1, kNaN, -3, 2, 1, -5, 4, 2}, {2, 4}), tensor({2, 3})),
                 {2, 4}, {0, 2, 0, 0, 0, 3, 0, 0});
    // torch: x = tensor([[1., nan, 3., 2.], [0., 5., 4., 1.]]);
    // x.max(0, keepdim=True).values.backward(tensor([[1., 2., 3., 4.]]))
    //   -> x.grad = [[1, 2, 0, 4], [0, 0, 3, 0]]
    CHECK_VALUES(
        test::grad_of([](const Tensor& a) { return std::get<0>(max(a, 0, true)); },
                      tensor({1, kNaN, 3, 2, 0, 5, 4, 1}, {2, 4}), tensor({1, 2, 3, 4}, {1, 4})),
        {2, 4}, {1, 2, 0, 4, 0, 0, 3, 0});
}

TEST_CASE("reduction gradients match finite differences, 0-d to 3-D, keepdim and negative dims") {
    using F = autograd::TensorFunction;
    using Reduction = Tensor (*)(const Tensor&, int64_t, bool, CallSite);
    const auto red = [](Reduction op, int64_t dim, bool keepdim) {
        return F([=](const V& v) { return op(v[0], dim, keepdim, {}); });
    };
    // max / min along a dim return (values, indices): the values are what is differentiated.
    using Extreme = std::tuple<Tensor, Tensor> (*)(const Tensor&, int64_t, bool, CallSite);
    const auto red_values = [](Extreme op, int64_t dim, bool keepdim) {
        return F([=](const V& v) { return std::get<0>(op(v[0], dim, keepdim, {})); });
    };
    const F sum_all = [](const V& v) { return sum(v[0]); };
    const F mean_all = [](const V& v) { return mean(v[0]); };
    const F max_all = [](const V& v) { return max(v[0]); };
    const F min_all = [](const V& v) { return min(v[0]); };
    const F var_all = [](const V& v) { return var(v[0]); };
    const F var_biased = [](const V& v) { return var(v[0], false); };
    const auto var_dim = [](int64_t dim, bool unbiased, bool keepdim) {
        return F([=](const V& v) { return var(v[0], dim, unbiased, keepdim); });
    };
    const auto to_size = [](Shape s) {
        return F([=](const V& v) { return sum_to_size(v[0], s); });
    };
    // Second order through a reduction: squares make the second derivative non-zero.
    const F sum_sq = [](const V& v) { return sum(v[0] * v[0], -1, true); };
    const F mean_cubed = [](const V& v) { return mean(v[0] * v[0] * v[0], 0); };
    const F max_sq = [](const V& v) {
        return std::get<0>(max(v[0] * v[0] * v[0], 1)) * std::get<0>(max(v[0], -1));
    };
    // The keepdim result broadcasts back against the input, as in a stable softmax.
    const F shifted = [](const V& v) { return exp(v[0] - std::get<0>(max(v[0], -1, true))); };
    const F normalised = [](const V& v) { return (v[0] - mean(v[0], 0, true)) / sum(v[0] * v[0]); };

    const Tensor s0 = test::input({}, 1), s1 = test::input({5}, 2), s2 = test::input({3, 4}, 3),
                 s3 = test::input({2, 3, 4}, 4);
    const Tensor t0 = no_ties({}), t1 = no_ties({5}), t2 = no_ties({3, 4}), t3 = no_ties({2, 3, 4});
    for (const auto& [name, f, inputs] : std::vector<std::tuple<const char*, F, V>>{
             {"sum all 0-d", sum_all, {s0}},
             {"sum all 3-D", sum_all, {s3}},
             {"sum 0-d dim 0", red(sum, 0, false), {s0}},
             {"sum 1-D dim 0", red(sum, 0, false), {s1}},
             {"sum 1-D dim -1 keepdim", red(sum, -1, true), {s1}},
             {"sum 2-D dim 0", red(sum, 0, false), {s2}},
             {"sum 2-D dim -1 keepdim", red(sum, -1, true), {s2}},
             {"sum 3-D dim 1", red(sum, 1, false), {s3}},
             {"sum 3-D dim -3 keepdim", red(sum, -3, true), {s3}},
             {"sum of squares", sum_sq, {s3}},
             {"mean all 2-D", mean_all, {s2}},
             {"mean 0-d", red(mean, -1, true), {s0}},
             {"mean 1-D", red(mean, 0, false), {s1}},
             {"mean 2-D dim 1 keepdim", red(mean, 1, true), {s2}},
             {"mean 3-D dim -1", red(mean, -1, false), {s3}},
             {"mean 3-D dim 0 keepdim", red(mean, 0, true), {s3}},
             {"mean of cubes", mean_cubed, {s3}},
             {"max all 0-d", max_all, {t0}},
             {"max all 3-D", max_all, {t3}},
             {"min all 2-D", min_all, {t2}},
             {"max 0-d dim 0", red_values(max, 0, false), {t0}},
             {"max 1-D", red_values(max, 0, true), {t1}},
             {"max 2-D dim 0", red_values(max, 0, false), {t2}},
             {"max 2-D dim -1 keepdim", red_values(max, -1, true), {t2}},
             {"max 3-D dim 1", red_values(max, 1, false), {t3}},
             {"min 1-D", red_values(min, -1, false), {t1}},
             {"min 2-D dim 1", red_values(min, 1, false), {t2}},
             {"min 3-D dim -3 keepdim", red_values(min, -3, true), {t3}},
             {"min 3-D dim 2", red_values(min, 2, false), {t3}},
             {"max of cubes times max", max_sq, {t2}},
             {"x - max(x, -1, keepdim)", shifted, {t3}},
             {"var all 1-D", var_all, {s1}},
             {"var all 3-D biased", var_biased, {s3}},
             {"var all 0-d biased", var_biased, {s0}},
             {"var 2-D dim 0", var_dim(0, true, false), {s2}},
             {"var 2-D dim -1 biased keepdim", var_dim(-1, false, true), {s2}},
             {"var 3-D dim 1 keepdim", var_dim(1, true, true), {s3}},
             {"var 3-D dim -1 biased", var_dim(-1, false, false), {s3}},
             {"var 0-d dim 0 biased", var_dim(0, false, false), {s0}},
             {"centred over sum of squares", normalised, {s2}},
             {"sum_to_size 2-D to row", to_size({4}), {s2}},
             {"sum_to_size 2-D to (1, 4)", to_size({1, 4}), {s2}},
             {"sum_to_size 2-D to col", to_size({3, 1}), {s2}},
             {"sum_to_size 2-D to 0-d", to_size({}), {s2}},
             {"sum_to_size 3-D to (3, 1)", to_size({3, 1}), {s3}},
             {"sum_to_size 3-D to (2, 1, 4)", to_size({2, 1, 4}), {s3}},
             {"sum_to_size 1-D to itself", to_size({5}), {s1}},
         }) {
        INFO(name);
        CHECK(gradcheck(f, inputs));
        CHECK(gradgradcheck(f, inputs));
    }
}

TEST_CASE("reductions record a node only when needed, and argmax is never differentiable") {
    const Tensor x = test::input({2, 3}, 1);
    CHECK(sum(x).requires_grad());
    CHECK(std::get<0>(max(x, 1)).requires_grad());
    CHECK(var(x).requires_grad());
    CHECK(sum_to_size(x, {3}).requires_grad());
    CHECK_FALSE(sum(zeros({2, 3})).requires_grad());
    CHECK_FALSE(sum_to_size(zeros({2, 3}), {3}).requires_grad());
    CHECK(std::string(sum(x, 0).grad_fn()->name()) == "SumBackward");
    CHECK(std::string(mean(x).grad_fn()->name()) == "MeanBackward");
    CHECK(std::string(mean(x.narrow(0, 0, 1), 0).grad_fn()->name()) == "MeanBackward");  // n = 1
    CHECK(std::string(std::get<0>(max(x, 1)).grad_fn()->name()) == "MaxBackward");
    CHECK(std::string(min(x).grad_fn()->name()) == "MinBackward");
    NoGradGuard no_grad;
    CHECK_FALSE(mean(x, 0).requires_grad());
    CHECK_FALSE(min(x).requires_grad());
}

TEST_CASE("reduction errors name the op, the dim and the shape") {
    const Tensor x = zeros({2, 3});
    CHECK_ERROR(IndexError, [&] { sum(x, 2); }, {"sum()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { sum(x, -3, true); }, {"sum()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { mean(x, 5); }, {"mean()", "dim 5", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { std::get<0>(max(x, 2)); }, {"max()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { std::get<0>(min(x, -3)); }, {"min()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { var(x, 2); }, {"var()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { var(x, -3, false, true); }, {"var()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { argmax(x, 2); }, {"argmax()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { argmin(x, -3); }, {"argmin()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { x.sum(7); }, {"sum()", "dim 7", "(2, 3)"});
    // A 0-d tensor takes dim 0 and -1 only.
    CHECK_ERROR(IndexError, [&] { sum(scalar_tensor(1), 1); }, {"sum()", "dim 1", "()"});
    CHECK_ERROR(IndexError, [&] { std::get<0>(max(scalar_tensor(1), -2)); },
                {"max()", "dim -2", "()"});

    // max / min / argmax / argmin of nothing is undefined.
    const Tensor e = zeros({2, 0});
    CHECK_ERROR(ValueError, [&] { std::get<0>(max(e, 1)); }, {"max()", "empty", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { std::get<0>(min(e, -1)); }, {"min()", "empty", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { max(e); }, {"max()", "empty", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { min(zeros({0})); }, {"min()", "empty", "(0)"});
    CHECK_ERROR(ValueError, [&] { argmax(e, 1); }, {"argmax()", "empty", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { argmin(e); }, {"argmin()", "empty", "(2, 0)"});

    // sum_to_size to a shape that does not broadcast to the tensor's.
    const Shape s4{4}, s123{1, 2, 3}, s33{3, 3}, s22{2, 2};
    const Tensor row = zeros({1, 3});
    CHECK_ERROR(ShapeError, [&] { sum_to_size(x, s4); }, {"sum_to_size()", "(4)", "(2, 3)"});
    CHECK_ERROR(ShapeError, [&] { sum_to_size(x, s123); },
                {"sum_to_size()", "(1, 2, 3)", "(2, 3)"});
    CHECK_ERROR(ShapeError, [&] { sum_to_size(row, s33); }, {"sum_to_size()", "(3, 3)", "(1, 3)"});
    CHECK_ERROR(ShapeError, [&] { sum_to_size(x, s22); }, {"sum_to_size()", "(2, 2)", "(2, 3)"});

    // Undefined operands.
    const Tensor u;
    CHECK_ERROR(ValueError, [&] { sum(u); }, {"sum()", "undefined"});
    CHECK_ERROR(ValueError, [&] { sum(u, 0); }, {"sum()", "undefined"});
    CHECK_ERROR(ValueError, [&] { mean(u); }, {"mean()", "undefined"});
    CHECK_ERROR(ValueError, [&] { mean(u, 0, true); }, {"mean()", "undefined"});
    CHECK_ERROR(ValueError, [&] { max(u); }, {"max()", "undefined"});
    CHECK_ERROR(ValueError, [&] { std::get<0>(max(u, 0)); }, {"max()", "undefined"});
    CHECK_ERROR(ValueError, [&] { min(u); }, {"min()", "undefined"});
    CHECK_ERROR(ValueError, [&] { std::get<0>(min(u, 0)); }, {"min()", "undefined"});
    CHECK_ERROR(ValueError, [&] { var(u); }, {"var()", "undefined"});
    CHECK_ERROR(ValueError, [&] { var(u, 0); }, {"var()", "undefined"});
    CHECK_ERROR(ValueError, [&] { argmax(u); }, {"argmax()", "undefined"});
    CHECK_ERROR(ValueError, [&] { argmin(u, 0); }, {"argmin()", "undefined"});
    CHECK_ERROR(ValueError, [&] { sum_to_size(u, {1}); }, {"sum_to_size()", "undefined"});
}

// ---- float64 and integer dtypes -------------------------------------------------------------

TEST_CASE("sum and mean in float64: values of double loops, gradients at PyTorch's tolerances") {
    Tensor x = test::doubles({3, 4}, 11);
    const std::vector<double> xv = x.to_vector<double>();
    double all = 0;
    std::vector<double> rows(3, 0.0), cols(4, 0.0);
    for (int64_t i = 0; i < 3; ++i)
        for (int64_t j = 0; j < 4; ++j) {
            all += xv[i * 4 + j];
            rows[i] += xv[i * 4 + j];
            cols[j] += xv[i * 4 + j];
        }
    CHECK_F64(sum(x), Shape{}, {all});
    CHECK_F64(sum(x, 1), Shape{3}, rows);
    CHECK_F64(sum(x, 0, true), Shape{1, 4}, cols);
    CHECK_F64(mean(x), Shape{}, {all / 12});
    CHECK_F64(mean(x, 0), Shape{4}, {cols[0] / 3, cols[1] / 3, cols[2] / 3, cols[3] / 3});
    // 1 + 1e-10: float32 would give exactly 1
    CHECK_F64(sum(tensor({1.0, 1e-10}, kFloat64)), Shape{}, {1.0 + 1e-10}, 0.0);
    CHECK(autograd::gradcheck([](const V& v) { return sum(v[0], 1); }, {x.requires_grad_()}));
    CHECK(autograd::gradgradcheck([](const V& v) { return sum(v[0]); }, {x}));
    // the gradient of a float64 sum is float64
    const Tensor y = test::doubles({5}, 12).requires_grad_();
    sum(y).backward();
    CHECK(y.grad().dtype() == kFloat64);
}

TEST_CASE("sum of int64 and bool tensors is int64, mean of them a TypeError, as PyTorch") {
    const Tensor i = tensor(std::vector<int64_t>{3, -1, 4000000000LL}, kInt64);
    CHECK(sum(i).dtype() == kInt64);
    CHECK(sum(i).item<int64_t>() == 4000000002LL);  // exact beyond float32's 2^24
    const Tensor m = tensor(std::vector<int64_t>{1, 2, 3, 4, 5, 6}, {2, 3}, kInt64);
    CHECK(sum(m, 1).to_vector<int64_t>() == std::vector<int64_t>{6, 15});
    const Tensor b = tensor(std::vector<bool>{true, false, true, true});
    CHECK(sum(b).dtype() == kInt64);
    CHECK(sum(b).item<int64_t>() == 3);
    CHECK_ERROR(TypeError, [&] { mean(i); }, {"mean()", "int64"});
    CHECK_ERROR(TypeError, [&] { mean(b, 0); }, {"mean()", "bool"});
    CHECK_ERROR(TypeError, [&] { var(i); }, {"var()", "int64"});
    // max of int64 stays int64
    CHECK(max(i).item<int64_t>() == 4000000000LL);
}

TEST_CASE("a reduction over float32 and float64 joined promotes to float64, gradients in each") {
    const Tensor a = tensor({0.1f, 0.2f}).requires_grad_();
    const Tensor b = tensor({1e-10, 2.0}, kFloat64).requires_grad_();
    const Tensor s = sum(cat({a, b}, 0));
    CHECK(s.dtype() == kFloat64);
    CHECK_F64(s, Shape{}, {double(0.1f) + double(0.2f) + 1e-10 + 2.0});
    s.backward();
    CHECK(a.grad().dtype() == kFloat32);
    CHECK(b.grad().dtype() == kFloat64);
    CHECK(a.grad().to_vector() == std::vector<float>{1, 1});
}
