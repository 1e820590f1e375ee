// The checker itself: it passes a right backward and catches wrong ones, naming the worst element.
#include <algorithm>

#include "support.hpp"
#include "support_float64.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {

// x² with a backward supplied by the test (the forward is always right).
autograd::TensorFunction square_with(
    std::function<Tensor(const Tensor& g, const Tensor& x)> backward) {
    return [backward](const V& v) {
        const Tensor x = v[0];
        return autograd::custom_op("Square", {x}, (x * x).detach(), [x, backward](const Tensor& g) {
            return std::vector<Tensor>{backward(g, x)};
        });
    };
}

}  // namespace

TEST_CASE("gradcheck passes a correct backward") {
    const auto f = square_with([](const Tensor& g, const Tensor& x) { return g * 2.0f * x; });
    const auto r = gradcheck(f, {test::input({3, 4}, 1)});
    CHECK(r);
    CHECK(r.report.find("passed") != std::string::npos);
}

TEST_CASE("gradcheck catches a wrong backward and reports where") {
    SUBCASE("a wrong factor") {
        const auto f = square_with([](const Tensor& g, const Tensor& x) { return g * 3.0f * x; });
        const auto r = gradcheck(f, {test::input({3, 4}, 1)});
        CHECK_FALSE(r);
        CHECK(r.report.find("FAILED") != std::string::npos);
        CHECK(r.report.find("input 0 (shape (3, 4))") != std::string::npos);
        CHECK(r.report.find("analytic") != std::string::npos);
        CHECK(r.report.find("numeric") != std::string::npos);
    }
    SUBCASE("gradients sent to the wrong elements") {
        const auto f = square_with([](const Tensor& g, const Tensor& x) {
            return (g * 2.0f * x).flatten().index_select(0, {1, 0, 3, 2}).reshape({2, 2});
        });
        CHECK_FALSE(gradcheck(f, {test::input({2, 2}, 2)}));
    }
    SUBCASE("a gradient off by a small constant") {
        const auto f =
            square_with([](const Tensor& g, const Tensor& x) { return g * 2.0f * x + 0.05f; });
        CHECK_FALSE(gradcheck(f, {test::input({5}, 3)}));
    }
    SUBCASE("the wrong input of two") {
        const auto f = [](const V& v) {
            const Tensor a = v[0], b = v[1];
            return autograd::custom_op("MulSwapped", {a, b}, (a * b).detach(),
                                       [a, b](const Tensor& g) {
                                           return std::vector<Tensor>{g * a, g * b};  // swapped
                                       });
        };
        const auto r = gradcheck(f, {test::input({3}, 4), test::input({3}, 5)});
        CHECK_FALSE(r);
    }
}

TEST_CASE("gradgradcheck catches a backward that is right but not differentiable") {
    // The backward's value is correct, but it is computed from a detached x, so under create_graph
    // it does not depend on x: the second derivative would come out 0 instead of 2.
    const auto detached =
        square_with([](const Tensor& g, const Tensor& x) { return g * 2.0f * x.detach(); });
    const Tensor x = test::input({4}, 6);
    CHECK(gradcheck(detached, {x}));
    const auto failed = gradgradcheck(detached, {x});
    CHECK_FALSE(failed);
    CHECK(failed.report.rfind("gradgradcheck FAILED", 0) == 0);  // names the check that was run
    const auto right = square_with([](const Tensor& g, const Tensor& x) { return g * 2.0f * x; });
    const auto passed = gradgradcheck(right, {x});
    CHECK(passed);
    CHECK(passed.report.rfind("gradgradcheck passed", 0) == 0);
}

TEST_CASE("gradcheck checks only inputs that require grad, and leaves inputs untouched") {
    Tensor x = test::input({3}, 7);
    const Tensor c = tensor({1.0f, 2.0f, 3.0f});
    const std::vector<float> before = x.to_vector();
    CHECK(gradcheck([](const V& v) { return v[0] * v[1]; }, {x, c}));
    CHECK(x.to_vector() == before);
    CHECK_FALSE(x.grad().defined());
    CHECK_ERROR(ValueError, [&] { gradcheck([](const V& v) { return v[0] * 2.0f; }, {c}); },
                {"gradcheck()", "no input requires grad"});
}

TEST_CASE("gradcheck runs f in float64 by default, with PyTorch's tolerances, and says so") {
    const autograd::GradcheckOptions o;
    CHECK(o.dtype == kFloat64);
    CHECK(o.eps == 1e-6);
    CHECK(o.atol == 1e-5);
    CHECK(o.rtol == 1e-3);
    const Tensor x = test::input({3}, 8);  // float32, converted before f runs
    const Tensor idx = tensor({0, 2}, kInt64);
    std::vector<ScalarType> seen;
    auto f = [&seen](const V& v) {
        seen.push_back(v[0].dtype());
        CHECK(v[1].dtype() == kInt64);  // non-floating inputs are passed as they are
        return sum(v[0]);
    };
    const auto r = gradcheck(f, {x, idx});
    CHECK(r);
    CHECK(r.report.find("float64") != std::string::npos);
    CHECK(std::all_of(seen.begin(), seen.end(), [](ScalarType t) { return t == kFloat64; }));
    CHECK(x.dtype() == kFloat32);  // the caller's tensor is untouched
    // The float32 check keeps the looser defaults and runs f in float32.
    const auto f32 = autograd::GradcheckOptions::float32();
    CHECK(f32.eps == 1e-2);
    CHECK(f32.atol == 1e-3);
    CHECK(f32.rtol == 1e-2);
    seen.clear();
    const auto r32 = gradcheck(f, {x, idx}, f32);
    CHECK(r32);
    CHECK(r32.report.find("float32") != std::string::npos);
    CHECK(std::all_of(seen.begin(), seen.end(), [](ScalarType t) { return t == kFloat32; }));
    autograd::GradcheckOptions bad;
    bad.dtype = kInt64;
    CHECK_ERROR(TypeError, [&] { gradcheck(f, {x, idx}, bad); }, {"gradcheck()", "int64"});
}

TEST_CASE("gradcheck in float64 catches a gradient error float32 noise would hide") {
    // f = sum(x) with a backward 0.2% too large: inside float32's tolerances (rtol 1e-2), outside
    // float64's (rtol 1e-3).
    const auto off = [](const V& v) {
        const Tensor x = v[0];
        return autograd::custom_op("OffSum", {x}, sum(x).detach(), [x](const Tensor& g) {
            return std::vector<Tensor>{full(x.shape(), g.item<double>() * 1.002, x.dtype())};
        });
    };
    const Tensor x = test::input({4}, 9);
    CHECK(gradcheck(off, {x}, autograd::GradcheckOptions::float32()));
    const auto r = gradcheck(off, {x});
    CHECK_FALSE(r);
    CHECK(r.report.find("float64") != std::string::npos);
}
