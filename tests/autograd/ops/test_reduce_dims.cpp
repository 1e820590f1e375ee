// sum / mean / amax / amin over several dims, var and std with correction: values against naive
// loops, ties, gradients (first and second order) and errors.
#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;
using V = std::vector<Tensor>;
using Dims = std::vector<int64_t>;

namespace {

// x (2, 3, 4) reduced over dims 0 and 2 by `op` on the 8 values of each j, naively: (3).
template <class Op>
std::vector<float> over_0_and_2(const Tensor& x, Op op) {
    std::vector<float> out;
    for (int64_t j = 0; j < 3; ++j) {
        std::vector<double> v;
        for (int64_t i = 0; i < 2; ++i)
            for (int64_t k = 0; k < 4; ++k) v.push_back(x.data()[i * 12 + j * 4 + k]);
        out.push_back(static_cast<float>(op(v)));
    }
    return out;
}

double naive_sum(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s;
}
double naive_mean(const std::vector<double>& v) { return naive_sum(v) / v.size(); }
double naive_max(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }
double naive_min(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }
double naive_var(const std::vector<double>& v, int correction) {
    const double m = naive_mean(v);
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return s / std::max<double>(0, static_cast<double>(v.size()) - correction);
}

// A leaf of distinct values in a scrambled order (no ties within gradcheck's steps).
Tensor no_ties(const Shape& shape) {
    const int64_t n = numel(shape);
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[i] = static_cast<float>((i * 7 + 3) % n) * 0.1f - 0.05f * n;
    return tensor(v, shape).requires_grad_();
}

}  // namespace

TEST_CASE("sum, mean, amax and amin over several dims match naive loops") {
    const Tensor x = test::input({2, 3, 4}, 5);
    CHECK_VALUES(sum(x, Dims{0, 2}), {3}, over_0_and_2(x, naive_sum));
    CHECK_VALUES(mean(x, Dims{2, 0}), {3}, over_0_and_2(x, naive_mean));
    CHECK_VALUES(amax(x, Dims{0, -1}), {3}, over_0_and_2(x, naive_max));
    CHECK_VALUES(amin(x, Dims{-3, 2}), {3}, over_0_and_2(x, naive_min));
    CHECK_VALUES(sum(x, Dims{0, 2}, true), {1, 3, 1}, over_0_and_2(x, naive_sum));
    CHECK_VALUES(x.amax(Dims{0, 2}, true), {1, 3, 1}, over_0_and_2(x, naive_max));
    CHECK_VALUES(x.mean(Dims{0, 2}), {3}, over_0_and_2(x, naive_mean));
    // Every dim, and the empty list meaning every dim.
    CHECK(sum(x, Dims{0, 1, 2}).item() == doctest::Approx(sum(x).item()));
    CHECK(sum(x, Dims{}).item() == doctest::Approx(sum(x).item()));
    CHECK(amax(x).item() == max(x).item());
    CHECK(x.amin().item() == min(x).item());
    CHECK(amax(x, Dims{}, true).shape() == Shape{1, 1, 1});
    // One dim: the same as the one-dim reductions.
    CHECK(equal(amax(x, 1), std::get<0>(max(x, 1))));
    CHECK(equal(x.amin(-1, true), std::get<0>(min(x, -1, true))));
    CHECK(equal(sum(x, Dims{1}), sum(x, 1)));
    // 0-d, and the mean of nothing is NaN.
    CHECK_VALUES(sum(scalar_tensor(3), Dims{0}), {}, {3});
    CHECK_VALUES(amax(scalar_tensor(3), Dims{-1}, true), {}, {3});
    CHECK(std::isnan(mean(zeros({2, 0}), Dims{0, 1}).item()));
    // The result never aliases the input, even when the reduced dims have size 1.
    Tensor col = tensor({1, 2}, {2, 1});
    Tensor s = sum(col, Dims{1}, true);
    s.fill_(7);
    CHECK_VALUES(col, {2, 1}, {1, 2});
}

TEST_CASE("amax and amin split the gradient evenly among ties across the reduced dims") {
    // Block j = 0 holds two maxima (5 at (0, 0, 1) and (1, 0, 2)); block j = 1 one.
    std::vector<float> v(2 * 2 * 3, 0.0f);
    v[1] = 5;
    v[8] = 5;
    v[3 + 0] = 9;
    const Tensor x = tensor(v, {2, 2, 3}).requires_grad_();
    amax(x, Dims{0, 2}).backward(tensor({1, 1}));
    std::vector<float> want(12, 0.0f);
    want[1] = 0.5f;
    want[8] = 0.5f;
    want[3] = 1.0f;
    CHECK_VALUES(x.grad(), {2, 2, 3}, want);
    // amin: block j = 0 has four tied zeros (and two 5s), 1/4 each.
    const Tensor y = tensor(v, {2, 2, 3}).requires_grad_();
    amin(y, Dims{0, 2}).backward(tensor({1, 1}));
    CHECK(y.grad().data()[0] == doctest::Approx(0.25f));
    CHECK(y.grad().data()[1] == 0.0f);
    CHECK(y.grad().data()[4] == doctest::Approx(0.2f));  // block j = 1: five zeros and a 9
}

TEST_CASE("var and std with correction match naive loops") {
    const Tensor x = test::input({2, 3, 4}, 9);
    for (int c : {0, 1, 2}) {
        INFO("correction ", c);
        CHECK_VALUES(var(x, Dims{0, 2}, c), {3},
                     over_0_and_2(x, [&](const auto& v) { return naive_var(v, c); }), 1e-4);
        CHECK_VALUES(descent::std(x, Dims{0, 2}, c, true), {1, 3, 1},
                     over_0_and_2(x, [&](const auto& v) { return std::sqrt(naive_var(v, c)); }),
                     1e-4);
        const std::vector<double> all(x.data(), x.data() + x.numel());
        CHECK(var(x, std::nullopt, c).item() == doctest::Approx(naive_var(all, c)).epsilon(1e-4));
        CHECK(x.std(std::nullopt, c).item() ==
              doctest::Approx(std::sqrt(naive_var(all, c))).epsilon(1e-4));
    }
    // The one-dim forms: var(x, 1, 2) is dim 1 with correction 2, var(x, 1, true) unbiased.
    const Tensor v1 = var(x, 1, 2), v2 = var(x, Dims{1}, 2), v3 = var(x, 1, true);
    CHECK(allclose(v1, v2));
    CHECK(allclose(v3, var(x, Dims{1}, 1)));
    CHECK(allclose(x.var(1, 0), var(x, 1, false)));
    CHECK(allclose(descent::std(x, 1), sqrt(var(x, 1))));
    CHECK(allclose(descent::std(x), sqrt(var(x))));
    CHECK(allclose(x.std(-1, false, true), sqrt(var(x, -1, false, true))));
    CHECK(allclose(descent::std(x, int64_t{2}, 0), sqrt(var(x, 2, false))));
    // n <= correction divides by 0, as PyTorch: inf for a spread, NaN for one element.
    CHECK(std::isinf(var(tensor({1, 2}), Dims{0}, 2).item()));
    CHECK(std::isnan(var(tensor({1}), std::nullopt, 1).item()));
}

TEST_CASE("reductions over several dims: gradients, first and second order") {
    const Tensor s = test::input({2, 3, 4}, 3), t = no_ties({2, 3, 4}), z = test::input({}, 4);
    auto over = [](auto f) { return [f](const V& v) { return f(v[0]); }; };
    struct Case {
        const char* name;
        autograd::TensorFunction f;
        V inputs;
    };
    for (const Case& c : std::vector<Case>{
             {"sum {0, 2}",
              over([](const Tensor& a) {
                  return sum(a, Dims{0, 2});
              }),
              {s}},
             {"mean {2, 1} keepdim",
              over([](const Tensor& a) {
                  return mean(a, Dims{2, 1}, true);
              }),
              {s}},
             {"amax {0, 2}",
              over([](const Tensor& a) {
                  return amax(a, Dims{0, 2});
              }),
              {t}},
             {"amin {1} keepdim",
              over([](const Tensor& a) { return amin(a, Dims{1}, true); }),
              {t}},
             {"amax all", over([](const Tensor& a) { return amax(a); }), {t}},
             {"var {0, 2} correction 0",
              over([](const Tensor& a) {
                  return var(a, Dims{0, 2}, 0);
              }),
              {s}},
             {"var all correction 2",
              over([](const Tensor& a) { return var(a, std::nullopt, 2); }),
              {s}},
             {"var dim 1 correction 1 keepdim",
              over([](const Tensor& a) { return var(a, 1, 1, true); }),
              {s}},
             {"std {1, 2}",
              over([](const Tensor& a) {
                  return descent::std(a, Dims{1, 2}, 1);
              }),
              {s}},
             {"std all", over([](const Tensor& a) { return descent::std(a); }), {s}},
             {"std dim -1 biased",
              over([](const Tensor& a) { return descent::std(a, -1, false); }),
              {s}},
             {"sum 0-d", over([](const Tensor& a) { return sum(a, Dims{0}); }), {z}},
         }) {
        INFO(c.name);
        CHECK_GRADIENTS(c.f, c.inputs);
    }
}

TEST_CASE("reductions over several dims: errors name the call, the dims and the shape") {
    const Tensor x = zeros({2, 3});
    CHECK_ERROR(IndexError, [&] { sum(x, Dims{0, 2}); }, {"sum()", "dim 2", "(2, 3)"});
    CHECK_ERROR(ValueError,
                [&] {
                    sum(x, Dims{1, -1});
                },
                {"sum()", "dim -1 appears twice", "(1, -1)", "(2, 3)"});
    CHECK_ERROR(ValueError, [&] { mean(x, Dims{0, 0}); }, {"mean()", "twice"});
    CHECK_ERROR(IndexError, [&] { amax(x, Dims{-3}); }, {"amax()", "dim -3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { x.amin(5); }, {"amin()", "dim 5", "(2, 3)"});
    CHECK_ERROR(ValueError, [&] { amax(zeros({2, 0}), Dims{1}); }, {"amax()", "empty", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { amin(zeros({0})); }, {"amin()", "empty", "(0)"});
    CHECK_ERROR(IndexError, [&] { var(x, Dims{2}, 1); }, {"var()", "dim 2", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { var(x, 3, 2); }, {"var()", "dim 3", "(2, 3)"});
    CHECK_ERROR(IndexError, [&] { descent::std(x, -3); }, {"std()", "dim -3", "(2, 3)"});
    CHECK_ERROR(ValueError, [&] { descent::std(x, Dims{0, 0}, 1); }, {"std()", "twice"});
    const Tensor u;
    CHECK_ERROR(ValueError, [&] { sum(u, Dims{0}); }, {"sum()", "undefined"});
    CHECK_ERROR(ValueError, [&] { amax(u); }, {"amax()", "undefined"});
    CHECK_ERROR(ValueError, [&] { descent::std(u); }, {"std()", "undefined"});
}

TEST_CASE("anomaly mode: a composed reduction's inner nodes name the caller's line") {
    autograd::DetectAnomalyGuard anomaly;
    const Tensor one = tensor({1.0f}).requires_grad_();
    auto error_of = [](auto f) -> std::string {
        try {
            f();
        } catch (const ValueError& e) {
            return e.what();
        }
        return {};
    };
    // var of one element with correction 1 is 0 / 0: the DivBackward inside var() says so, and
    // names this file's line, not a line inside descent.
    const int free_line = __LINE__ + 1;  // the next line's
    const std::string f = error_of([&] { descent::std(one, std::nullopt, 1); });
    INFO(f);
    CHECK(f.find("produced nan") != std::string::npos);
    CHECK(f.find(std::string(__FILE__) + ":" + std::to_string(free_line)) != std::string::npos);
    const int method_line = __LINE__ + 1;  // the next line's
    const std::string m = error_of([&] { one.var(Dims{0}, 1); });
    INFO(m);
    CHECK(m.find(std::string(__FILE__) + ":" + std::to_string(method_line)) != std::string::npos);
}
