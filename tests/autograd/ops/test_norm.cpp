// norm: p = 1, 2, inf, "fro" and another p, over all elements and over dims, against naive loops;
// PyTorch's zero gradient at the origin for p = 2; gradients of both orders; errors.
#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;
using V = std::vector<Tensor>;
using Dims = std::vector<int64_t>;

namespace {

const float kInf = std::numeric_limits<float>::infinity();

// The p-norm of the values of x (2, 3) along dim 1 (one per row), naively.
std::vector<float> naive_rows(const Tensor& x, double p) {
    std::vector<float> out;
    for (int64_t i = 0; i < 2; ++i) {
        double acc = 0;
        for (int64_t j = 0; j < 3; ++j) {
            const double a = std::fabs(x.data()[i * 3 + j]);
            acc = std::isinf(p) ? std::max(acc, a) : acc + std::pow(a, p);
        }
        out.push_back(static_cast<float>(std::isinf(p) ? acc : std::pow(acc, 1.0 / p)));
    }
    return out;
}

}  // namespace

TEST_CASE("norm matches naive loops for p = 1, 2, 3, inf and fro") {
    const Tensor x = test::away_from_zero({2, 3}, 21);
    for (float p : {1.0f, 2.0f, 3.0f, kInf}) {
        INFO("p = ", p);
        CHECK_VALUES(norm(x, p, Dims{1}), {2}, naive_rows(x, p), 1e-5);
        CHECK_VALUES(x.norm(p, Dims{-1}, true), {2, 1}, naive_rows(x, p), 1e-5);
    }
    double ss = 0;
    for (int64_t i = 0; i < 6; ++i) ss += x.data()[i] * x.data()[i];
    CHECK(norm(x).item() == doctest::Approx(std::sqrt(ss)));
    CHECK(x.norm().item() == doctest::Approx(std::sqrt(ss)));
    CHECK(norm(x, "fro").item() == doctest::Approx(std::sqrt(ss)));
    CHECK(x.norm("fro", Dims{0, 1}, true).shape() == Shape{1, 1});
    CHECK_VALUES(norm(tensor({3, -4})), {}, {5});
    CHECK_VALUES(norm(tensor({3, -4}), 1), {}, {7});
    CHECK_VALUES(norm(tensor({3, -4}), kInf), {}, {4});
    CHECK_VALUES(norm(zeros({0})), {}, {0});
}

TEST_CASE("the 2-norm's gradient is 0 at the origin, and a / |a| elsewhere") {
    const Tensor x = zeros({2, 3}).requires_grad_();
    norm(x).backward();
    CHECK_VALUES(x.grad(), {2, 3}, {0, 0, 0, 0, 0, 0});
    // A zero row and a (3, 4, 0) row, along dim 1.
    const Tensor y = tensor({0, 0, 0, 3, 4, 0}, {2, 3}).requires_grad_();
    norm(y, 2, Dims{1}).backward(ones({2}));
    CHECK_VALUES(y.grad(), {2, 3}, {0, 0, 0, 0.6f, 0.8f, 0});
    CHECK(std::string(norm(y).grad_fn()->name()) == "NormBackward");
    // p = inf splits among ties of |a|: -2 and 2 tie.
    const Tensor z = tensor({-2, 1, 2}).requires_grad_();
    norm(z, kInf).backward();
    CHECK_VALUES(z.grad(), {3}, {-0.5f, 0, 0.5f});
}

TEST_CASE("norm: gradients, first and second order") {
    const Tensor x = test::away_from_zero({2, 3, 4}, 22, 0.2f);
    auto op = [](auto f) { return [f](const V& v) { return f(v[0]); }; };
    struct Case {
        const char* name;
        autograd::TensorFunction f;
        V inputs;
    };
    // |a| distinct for inf: no ties within gradcheck's steps.
    const Tensor d = tensor({0.3f, -0.9f, 0.5f, -0.1f, 0.7f, -0.4f}, {2, 3}).requires_grad_();
    for (const Case& c : std::vector<Case>{
             {"p 2 all", op([](const Tensor& a) { return norm(a); }), {x}},
             {"p 2 dims {0, 2}",
              op([](const Tensor& a) {
                  return norm(a, 2, Dims{0, 2});
              }),
              {x}},
             {"fro dim 1 keepdim",
              op([](const Tensor& a) { return norm(a, "fro", Dims{1}, true); }),
              {x}},
             {"p 1 dim -1", op([](const Tensor& a) { return norm(a, 1, Dims{-1}); }), {x}},
             {"p 3 all", op([](const Tensor& a) { return norm(a, 3); }), {x}},
             {"p inf dim 1", op([](const Tensor& a) { return norm(a, kInf, Dims{1}); }), {d}},
             {"p inf all", op([](const Tensor& a) { return norm(a, kInf); }), {d}},
         }) {
        INFO(c.name);
        CHECK_GRADIENTS(c.f, c.inputs);
    }
}

TEST_CASE("norm: errors name the call and the value") {
    const Tensor x = zeros({2, 3});
    CHECK_ERROR(ValueError, [&] { norm(x, 0); }, {"norm()", "p = 0", "not supported"});
    CHECK_ERROR(ValueError, [&] { norm(x, -1); }, {"norm()", "p = -1"});
    CHECK_ERROR(ValueError, [&] { norm(x, -kInf); }, {"norm()", "p = -inf"});
    CHECK_ERROR(ValueError, [&] { norm(x, std::nanf("")); }, {"norm()", "p = nan"});
    CHECK_ERROR(ValueError, [&] { norm(x, "nuc"); }, {"norm()", "\"nuc\"", "not supported"});
    CHECK_ERROR(IndexError, [&] { norm(x, 2, Dims{2}); }, {"norm()", "dim 2", "(2, 3)"});
    CHECK_ERROR(ValueError, [&] { norm(x, 1, Dims{0, -2}); }, {"norm()", "twice"});
    CHECK_ERROR(ValueError,
                [&] {
                    norm(zeros({2, 0}), kInf, Dims{1});
                },
                {"norm()", "empty", "(2, 0)"});
    CHECK_ERROR(ValueError, [&] { norm(Tensor()); }, {"norm()", "undefined"});
}
