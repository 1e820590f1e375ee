// functional::dropout: the fraction zeroed, the scale of survivors, the gradient's mask, seeding,
// the identity cases and errors.
#include "support.hpp"

#include "descent/nn/functional/dropout.hpp"

using namespace descent;
using nn::functional::dropout;

TEST_CASE("dropout zeroes about p of the entries and scales the rest by 1/(1-p)") {
    const Tensor x = full({100, 100}, 2.0f);
    for (const float p : {0.1f, 0.5f, 0.8f}) {
        INFO("p = ", p);
        Generator gen(3);
        const Tensor y = dropout(x, p, true, gen);
        int64_t zeros = 0, scaled = 0;
        for (int64_t i = 0; i < y.numel(); ++i) {
            if (y.data()[i] == 0.0f) ++zeros;
            if (y.data()[i] == doctest::Approx(2.0f / (1 - p))) ++scaled;
        }
        CHECK(zeros + scaled == y.numel());  // nothing else
        // 10,000 Bernoulli(p) draws: standard deviation at most 50, so 4 sigma is 200.
        CHECK(std::abs(zeros - p * 10000) < 200);
        // The mean is preserved in expectation.
        CHECK(mean(y).item() == doctest::Approx(2.0).epsilon(0.05));
    }
}

TEST_CASE("dropout's gradient uses the same mask as its forward") {
    Tensor x = test::input({20, 30}, 1);
    Generator gen(5);
    const Tensor y = dropout(x, 0.3f, true, gen);
    const Tensor g = test::input({20, 30}, 2).detach();
    y.backward(g);
    // dL/dx = g · mask, and mask = y / x where x != 0.
    const float scale = 1 / 0.7f;
    for (int64_t i = 0; i < x.numel(); ++i) {
        const bool kept = y.data()[i] != 0.0f;
        CHECK(x.grad().data()[i] == doctest::Approx(kept ? g.data()[i] * scale : 0.0f));
    }
    // Twice differentiable, with the mask fixed by a seeded generator inside f.
    CHECK_GRADIENTS(
        [](const std::vector<Tensor>& v) {
            Generator local(9);
            return dropout(v[0], 0.4f, true, local);
        },
        std::vector<Tensor>{test::input({4, 5}, 3)});
}

TEST_CASE("dropout: identity when not training or p = 0, zeros when p = 1, seeded") {
    const Tensor x = test::input({3, 4}, 1).detach();
    CHECK(dropout(x, 0.5f, false).is_same(x));
    CHECK(dropout(x, 0.0f, true).is_same(x));
    CHECK(equal(dropout(x, 1.0f, true), zeros({3, 4})));
    Generator a(11), b(11);
    CHECK(equal(dropout(x, 0.5f, true, a), dropout(x, 0.5f, true, b)));
    manual_seed(4);
    const Tensor d1 = dropout(x, 0.5f);
    manual_seed(4);
    CHECK(equal(dropout(x, 0.5f), d1));
}

TEST_CASE("dropout errors") {
    CHECK_ERROR(ValueError, [] { dropout(zeros({2}), 1.5f); }, {"dropout()", "[0, 1]", "1.5"});
    CHECK_ERROR(ValueError, [] { dropout(zeros({2}), -0.1f); }, {"dropout()", "-0.1"});
    CHECK_ERROR(ValueError, [] { dropout(Tensor(), 0.5f); }, {"dropout()", "undefined"});
}
