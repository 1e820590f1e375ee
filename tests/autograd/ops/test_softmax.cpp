// softmax, log_softmax and logsumexp: values along every dim of 2-D and 3-D tensors, keepdim,
// stability on large inputs, gradients (first and second order) and errors.
#include "support.hpp"
#include "support_float64.hpp"

#include <cmath>
#include <limits>

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {

const float ln2 = std::log(2.0f), ln3 = std::log(3.0f);

// Every element finite (no inf, no NaN).
bool all_finite(const Tensor& t) {
    for (int64_t i = 0; i < t.numel(); ++i)
        if (!std::isfinite(t.data()[i])) return false;
    return true;
}

}  // namespace

TEST_CASE("softmax, log_softmax and logsumexp of a vector") {
    // exp of [0, ln 2, ln 3] is [1, 2, 3], which sums to 6.
    const Tensor x = tensor({0, ln2, ln3});
    CHECK_VALUES(softmax(x, 0), {3}, {1 / 6.f, 2 / 6.f, 3 / 6.f});
    CHECK_VALUES(log_softmax(x, 0), {3}, {-std::log(6.f), std::log(2 / 6.f), std::log(3 / 6.f)});
    CHECK_VALUES(logsumexp(x, 0), {}, {std::log(6.f)});
    CHECK_VALUES(logsumexp(x, -1, true), {1}, {std::log(6.f)});
    // Shifting every input by a constant changes nothing but logsumexp, by that constant.
    CHECK_VALUES(softmax(x + 5.0f, 0), {3}, {1 / 6.f, 2 / 6.f, 3 / 6.f});
    CHECK_VALUES(logsumexp(x + 5.0f, 0), {}, {5 + std::log(6.f)});
    // A 0-d tensor is one element along dim 0.
    CHECK_VALUES(softmax(scalar_tensor(3), 0), {}, {1});
    CHECK_VALUES(log_softmax(scalar_tensor(3), -1), {}, {0});
    CHECK_VALUES(logsumexp(scalar_tensor(3), 0), {}, {3});
}

TEST_CASE("softmax family along dims 0, 1 and -1 of a matrix") {
    // [[0 0 ln3] [ln3 0 0]]: exps [[1 1 3] [3 1 1]].
    const Tensor x = tensor({0, 0, ln3, ln3, 0, 0}, {2, 3});
    // Along rows (dim 1 = dim -1): each row sums to 5.
    const std::vector<float> rows = {0.2f, 0.2f, 0.6f, 0.6f, 0.2f, 0.2f};
    CHECK_VALUES(softmax(x, 1), {2, 3}, rows);
    CHECK_VALUES(x.softmax(-1), {2, 3}, rows);
    CHECK_VALUES(log_softmax(x, -1), {2, 3},
                 {std::log(0.2f), std::log(0.2f), std::log(0.6f), std::log(0.6f), std::log(0.2f),
                  std::log(0.2f)});
    CHECK_VALUES(logsumexp(x, 1), {2}, {std::log(5.f), std::log(5.f)});
    CHECK_VALUES(x.logsumexp(-1, true), {2, 1}, {std::log(5.f), std::log(5.f)});
    // Along columns (dim 0): column sums 4, 2, 4.
    CHECK_VALUES(softmax(x, 0), {2, 3}, {0.25f, 0.5f, 0.75f, 0.75f, 0.5f, 0.25f});
    CHECK_VALUES(x.log_softmax(0), {2, 3},
                 {std::log(0.25f), std::log(0.5f), std::log(0.75f), std::log(0.75f), std::log(0.5f),
                  std::log(0.25f)});
    CHECK_VALUES(logsumexp(x, 0), {3}, {std::log(4.f), std::log(2.f), std::log(4.f)});
    CHECK_VALUES(logsumexp(x, -2, true), {1, 3}, {std::log(4.f), std::log(2.f), std::log(4.f)});
}

TEST_CASE("softmax family along each dim of a 3-D tensor") {
    // (2, 2, 2) with exps [[[1 2] [3 4]] [[5 6] [7 8]]]: x = ln of those.
    std::vector<float> e = {1, 2, 3, 4, 5, 6, 7, 8}, lx(8);
    for (size_t i = 0; i < 8; ++i) lx[i] = std::log(e[i]);
    const Tensor x = tensor(lx, {2, 2, 2});
    // dim 0 pairs (i, j, k) with (1-i, j, k): sums 6, 8, 10, 12.
    CHECK_VALUES(softmax(x, 0), {2, 2, 2},
                 {1 / 6.f, 2 / 8.f, 3 / 10.f, 4 / 12.f, 5 / 6.f, 6 / 8.f, 7 / 10.f, 8 / 12.f});
    CHECK_VALUES(logsumexp(x, 0), {2, 2},
                 {std::log(6.f), std::log(8.f), std::log(10.f), std::log(12.f)});
    // dim 1 (the middle): sums 4, 6, 12, 14.
    CHECK_VALUES(softmax(x, 1), {2, 2, 2},
                 {1 / 4.f, 2 / 6.f, 3 / 4.f, 4 / 6.f, 5 / 12.f, 6 / 14.f, 7 / 12.f, 8 / 14.f});
    CHECK_VALUES(log_softmax(x, 1), {2, 2, 2},
                 {std::log(1 / 4.f), std::log(2 / 6.f), std::log(3 / 4.f), std::log(4 / 6.f),
                  std::log(5 / 12.f), std::log(6 / 14.f), std::log(7 / 12.f), std::log(8 / 14.f)});
    CHECK_VALUES(logsumexp(x, 1, true), {2, 1, 2},
                 {std::log(4.f), std::log(6.f), std::log(12.f), std::log(14.f)});
    // dim 2 = -1 (the last): sums 3, 7, 11, 15.
    CHECK_VALUES(softmax(x, -1), {2, 2, 2},
                 {1 / 3.f, 2 / 3.f, 3 / 7.f, 4 / 7.f, 5 / 11.f, 6 / 11.f, 7 / 15.f, 8 / 15.f});
    CHECK_VALUES(logsumexp(x, 2), {2, 2},
                 {std::log(3.f), std::log(7.f), std::log(11.f), std::log(15.f)});
}

TEST_CASE("softmax sums to 1 along its dim and agrees with log_softmax and logsumexp") {
    const Tensor x = test::input({3, 4, 5}, 1, -4.0f, 4.0f).detach();
    for (const int64_t dim : {0, 1, 2, -1, -3}) {
        INFO("dim ", dim);
        const Tensor s = softmax(x, dim);
        const Tensor total = sum(s, dim);
        CHECK(allclose(total, ones(total.shape()), 1e-5, 1e-6));
        bool in_range = true;
        for (int64_t i = 0; i < s.numel(); ++i)
            in_range = in_range && s.data()[i] > 0 && s.data()[i] < 1;
        CHECK(in_range);
        CHECK(allclose(exp(log_softmax(x, dim)), s, 1e-5, 1e-6));
        CHECK(allclose(log_softmax(x, dim), x - logsumexp(x, dim, true), 1e-5, 1e-5));
        CHECK(allclose(logsumexp(x, dim), log(sum(exp(x), dim)), 1e-5, 1e-5));
    }
}

TEST_CASE("large inputs give finite, exact results") {
    const Tensor big = tensor({1000, -1000});
    CHECK(equal(softmax(big, 0), tensor({1, 0})));
    CHECK(equal(log_softmax(big, 0), tensor({0, -2000})));
    CHECK(equal(logsumexp(big, 0), scalar_tensor(1000)));

    const Tensor same = tensor({1000, 1000, -1000, -1000}, {2, 2});
    CHECK_VALUES(softmax(same, 1), {2, 2}, {0.5f, 0.5f, 0.5f, 0.5f});
    CHECK_VALUES(log_softmax(same, 1), {2, 2}, {-ln2, -ln2, -ln2, -ln2});
    CHECK_VALUES(logsumexp(same, 1), {2}, {1000 + ln2, -1000 + ln2});
    // Along dim 0 each column is {1000, -1000}.
    CHECK(equal(softmax(same, 0), tensor({1, 1, 0, 0}, {2, 2})));
    CHECK(equal(log_softmax(same, 0), tensor({0, 0, -2000, -2000}, {2, 2})));
    CHECK(equal(logsumexp(same, 0), tensor({1000, 1000})));

    // 3-D, the middle dim, and the largest finite float.
    const Tensor cube = tensor({3e38f, -3e38f, 0, 1000, 88, 89, -1000, 0}, {2, 2, 2});
    CHECK(all_finite(softmax(cube, 1)));
    CHECK(all_finite(log_softmax(cube, 1)));
    CHECK(all_finite(logsumexp(cube, 1)));
    CHECK_VALUES(logsumexp(cube, 1), {2, 2}, {3e38f, 1000, 88, 89});

    // The gradients are finite too: softmax saturates to a one-hot, whose gradient vanishes.
    Tensor x = tensor({1000, -1000, 0}).requires_grad_();
    (softmax(x, 0) * tensor({1, 2, 3})).sum().backward();
    CHECK(all_finite(x.grad()));
    CHECK_VALUES(x.grad(), {3}, {0, 0, 0});
    Tensor y = tensor({1000, 1000}).requires_grad_();
    logsumexp(y, 0).backward();
    CHECK_VALUES(y.grad(), {2}, {0.5f, 0.5f});
    Tensor z = tensor({1000, -1000}).requires_grad_();
    select(log_softmax(z, 0), 0, 1).backward();  // d/dz of z₁ - logsumexp(z) = e₁ - softmax(z)
    CHECK(equal(z.grad(), tensor({-1, 1})));
}

TEST_CASE("-inf entries are masked out: they get probability 0") {
    const float inf = std::numeric_limits<float>::infinity();
    const Tensor x = tensor({-inf, 0, 0, -inf, -inf, -inf}, {2, 3});
    const Tensor s = softmax(x, 1);
    CHECK(s.data()[0] == 0.0f);
    CHECK(s.data()[1] == doctest::Approx(0.5));
    CHECK(s.data()[2] == doctest::Approx(0.5));
    const Tensor ls = log_softmax(x, 1);
    CHECK(ls.data()[0] == -inf);
    CHECK(ls.data()[1] == doctest::Approx(-ln2));
    const Tensor lse = logsumexp(x, 1);
    CHECK(lse.data()[0] == doctest::Approx(ln2));
    CHECK(lse.data()[1] == -inf);  // log of an empty sum
    // The masked entry receives no gradient.
    Tensor y = tensor({-inf, 0, 1}).requires_grad_();
    (softmax(y, 0) * tensor({1, 2, 3})).sum().backward();
    CHECK(y.grad().data()[0] == 0.0f);
    CHECK(std::isfinite(y.grad().data()[1]));
}

TEST_CASE("softmax saves its output: modifying it before backward is caught") {
    Tensor x = test::input({2, 3}, 1);
    Tensor y = softmax(x, 1);
    {
        NoGradGuard guard;
        y.mul_(2.0f);
    }
    CHECK_ERROR(StateError, [&] { y.sum().backward(); },
                {"SoftmaxBackward", "modified in place", "(2, 3)"});
}

TEST_CASE("softmax, log_softmax and logsumexp gradients: first and second order") {
    const Tensor v = test::input({5}, 1, -2.0f, 2.0f), m = test::input({3, 4}, 2, -2.0f, 2.0f);
    const Tensor c = test::input({2, 3, 4}, 3, -2.0f, 2.0f), w = test::input({3, 4}, 4);
    const Tensor w3 = test::input({2, 3, 4}, 5), s = test::input({}, 6);
    std::vector<std::tuple<std::string, autograd::TensorFunction, V>> cases;
    for (const int64_t dim : {0, 1, -1}) {
        const std::string d = std::to_string(dim);
        cases.push_back(
            {"softmax 2-D dim " + d, [dim](const V& x) { return softmax(x[0], dim); }, {m}});
        cases.push_back({"log_softmax 2-D dim " + d,
                         [dim](const V& x) { return log_softmax(x[0], dim); },
                         {m}});
        cases.push_back(
            {"logsumexp 2-D dim " + d, [dim](const V& x) { return logsumexp(x[0], dim); }, {m}});
        cases.push_back({"logsumexp keepdim 2-D dim " + d,
                         [dim](const V& x) { return logsumexp(x[0], dim, true); },
                         {m}});
        // Weighted by a second input, so the incoming gradient is not constant.
        cases.push_back({"softmax weighted 2-D dim " + d,
                         [dim](const V& x) { return softmax(x[0], dim) * x[1]; },
                         {m, w}});
        cases.push_back({"log_softmax weighted 2-D dim " + d,
                         [dim](const V& x) { return log_softmax(x[0], dim) * x[1]; },
                         {m, w}});
    }
    for (const int64_t dim : {0, 1, 2, -1}) {
        const std::string d = std::to_string(dim);
        cases.push_back(
            {"softmax 3-D dim " + d, [dim](const V& x) { return softmax(x[0], dim); }, {c}});
        cases.push_back({"log_softmax 3-D dim " + d,
                         [dim](const V& x) { return log_softmax(x[0], dim) * x[1]; },
                         {c, w3}});
        cases.push_back(
            {"logsumexp 3-D dim " + d, [dim](const V& x) { return logsumexp(x[0], dim); }, {c}});
        cases.push_back({"logsumexp keepdim 3-D dim " + d,
                         [dim](const V& x) { return logsumexp(x[0], dim, true) * x[1]; },
                         {c, w3}});
    }
    cases.push_back({"softmax 1-D", [](const V& x) { return softmax(x[0], 0); }, {v}});
    cases.push_back({"log_softmax 1-D", [](const V& x) { return log_softmax(x[0], -1); }, {v}});
    cases.push_back({"logsumexp 1-D", [](const V& x) { return logsumexp(x[0], 0); }, {v}});
    cases.push_back({"softmax 0-d", [](const V& x) { return softmax(x[0], 0) * x[0]; }, {s}});
    cases.push_back({"logsumexp 0-d", [](const V& x) { return logsumexp(x[0], 0) * x[0]; }, {s}});
    // Chained: the output saved by the first softmax feeds a second.
    cases.push_back({"softmax of log_softmax",
                     [](const V& x) { return softmax(log_softmax(x[0], 1), 0); },
                     {m}});
    for (const auto& [name, f, inputs] : cases) {
        INFO(name);
        CHECK(gradcheck(f, inputs));
        CHECK(gradgradcheck(f, inputs));
    }
}

TEST_CASE("softmax family errors name the op, the dim and the shape") {
    const Tensor a = zeros({2, 3});
    CHECK_ERROR(IndexError, [&] { softmax(a, 2); }, {"softmax()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { softmax(a, -3); }, {"softmax()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { log_softmax(a, 5); }, {"log_softmax()", "dim 5", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { logsumexp(a, -3, true); }, {"logsumexp()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError,
                [&] {
                    logsumexp(zeros({2, 3, 4}), 3);
                },
                {"logsumexp()", "dim 3", "(2, 3, 4)"});
    CHECK_ERROR(IndexError, [&] { softmax(scalar_tensor(1), 1); }, {"softmax()", "dim 1", "()"});
    CHECK_ERROR(ValueError, [&] { softmax(zeros({2, 0}), 1); }, {"softmax()", "empty", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { log_softmax(zeros({0}), 0); }, {"log_softmax()", "empty", "(0)"});
    CHECK_ERROR(ValueError,
                [&] {
                    logsumexp(zeros({2, 0}), -1);
                },
                {"logsumexp()", "empty", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { softmax(Tensor(), 0); }, {"softmax()", "undefined"});
    // Empty along another dim is fine: nothing to normalise.
    CHECK(softmax(zeros({0, 3}), 1).shape() == Shape{0, 3});
    CHECK(logsumexp(zeros({0, 3}), 1).shape() == Shape{0});
}

TEST_CASE("softmax, log_softmax and logsumexp in float64 against double loops") {
    const Tensor x = test::doubles({2, 5}, 31, -3.0, 3.0);
    const std::vector<double> xv = x.to_vector<double>();
    std::vector<double> sm(10), lsm(10), lse(2);
    for (int64_t i = 0; i < 2; ++i) {
        double m = xv[i * 5], s = 0;
        for (int64_t j = 0; j < 5; ++j) m = std::max(m, xv[i * 5 + j]);
        for (int64_t j = 0; j < 5; ++j) s += std::exp(xv[i * 5 + j] - m);
        lse[i] = m + std::log(s);
        for (int64_t j = 0; j < 5; ++j) {
            sm[i * 5 + j] = std::exp(xv[i * 5 + j] - m) / s;
            lsm[i * 5 + j] = xv[i * 5 + j] - lse[i];
        }
    }
    CHECK_F64(softmax(x, 1), Shape{2, 5}, sm);
    CHECK_F64(log_softmax(x, -1), Shape{2, 5}, lsm);
    CHECK_F64(logsumexp(x, 1), Shape{2}, lse);
    CHECK_ERROR(TypeError, [] { softmax(tensor({1, 2}, kInt64), 0); }, {"softmax()", "int64"});
}
