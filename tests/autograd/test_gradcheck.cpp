// The checker itself: it passes a right backward and catches wrong ones, naming the worst element.
#include "support.hpp"

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
