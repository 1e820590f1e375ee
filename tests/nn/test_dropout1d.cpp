// functional::dropout1d and nn::Dropout1d: whole channels of (N, C, L) or (C, L) zeroed, the rest
// scaled by 1/(1-p), the gradient through the same mask, eval and p = 0 as identity, refusals.
#include "support.hpp"

#include <sstream>

#include "descent/nn/dropout.hpp"
#include "descent/nn/functional/dropout.hpp"

using namespace descent;
using nn::functional::dropout1d;
using V = std::vector<Tensor>;

TEST_CASE("dropout1d: each channel is zeroed whole or scaled by 1/(1-p)") {
    const Tensor x = test::input({20, 10, 6}, 1, 0.5f, 1.5f).detach();
    Generator gen(4);
    const Tensor y = dropout1d(x, 0.4f, true, gen);
    CHECK(y.shape() == x.shape());
    int64_t dropped = 0;
    for (int64_t ch = 0; ch < 200; ++ch) {
        const float* xs = x.data() + ch * 6;
        const float* ys = y.data() + ch * 6;
        const bool zero = ys[0] == 0.0f;
        dropped += zero;
        for (int64_t k = 0; k < 6; ++k)
            CHECK(ys[k] == doctest::Approx(zero ? 0.0f : xs[k] / 0.6f));
    }
    // 200 channels with p = 0.4: mean 80, standard deviation 6.9, so 4 sigma is 28.
    CHECK(std::abs(dropped - 80) < 28);
    // The same generator state gives the same mask; a (C, L) input has one draw per channel.
    Generator a(9), b(9);
    CHECK(equal(dropout1d(x, 0.4f, true, a), dropout1d(x, 0.4f, true, b)));
    const Tensor y2 = dropout1d(ones({50, 4}), 0.5f, true, a);
    for (int64_t ch = 0; ch < 50; ++ch)
        for (int64_t k = 1; k < 4; ++k) CHECK(y2.data()[ch * 4 + k] == y2.data()[ch * 4]);
    // float64 keeps its dtype and the double 1/(1-p)
    const Tensor yd = dropout1d(ones({4, 8, 3}, kFloat64), 0.5f, true, a);
    CHECK(yd.dtype() == kFloat64);
    for (double v : yd.to_vector<double>()) CHECK((v == 0.0 || v == 2.0));
}

TEST_CASE("dropout1d: identity in eval and for p = 0, zeros for p = 1, gradient through the mask") {
    const Tensor x = test::input({2, 3, 4}, 2);
    CHECK(dropout1d(x, 0.5f, false).is_same(x));
    CHECK(dropout1d(x, 0.0f).is_same(x));
    CHECK_VALUES(dropout1d(ones({1, 2, 3}), 1.0f), {1, 2, 3}, {0, 0, 0, 0, 0, 0});
    Generator gen(3);
    const Tensor y = dropout1d(x, 0.5f, true, gen);
    y.backward(ones(y.shape()));
    for (int64_t i = 0; i < x.numel(); ++i)
        CHECK(x.grad().data()[i] == doctest::Approx(y.data()[i] / x.data()[i]));
    auto f = [](const V& v) {
        Generator g(5);
        return dropout1d(v[0], 0.3f, true, g);
    };
    CHECK_GRADIENTS(f, V{test::input({2, 3, 4}, 6)});
}

TEST_CASE("dropout1d refuses a rank other than 2 or 3 and p outside [0, 1]") {
    CHECK_ERROR(ShapeError, [] { dropout1d(ones({4, 8, 2, 2})); },
                {"dropout1d(): expected input (N, C, L) or (C, L), got (4, 8, 2, 2)"});
    CHECK_ERROR(ShapeError, [] { dropout1d(ones({4})); }, {"dropout1d()", "(4)"});
    CHECK_ERROR(ValueError, [] { dropout1d(ones({1, 1, 1}), -0.1f); },
                {"dropout1d()", "[0, 1]", "-0.1"});
    CHECK_ERROR(ValueError, [] { dropout1d(ones({1, 1, 1}), 1.5f); }, {"dropout1d()", "1.5"});
}

TEST_CASE("Dropout1d: follows the training flag, refuses other ranks and bad p, prints p") {
    nn::Dropout1d drop(0.25f);
    const Tensor x = ones({4, 8, 5});
    CHECK_FALSE(drop(x).is_same(x));
    drop.eval();
    CHECK(drop(x).is_same(x));
    CHECK(drop.parameters().empty());
    CHECK_ERROR(ShapeError, [&] { drop(ones({4, 8, 2, 2})); },
                {"Dropout1d: expected input (N, C, L) or (C, L), got (4, 8, 2, 2)"});
    CHECK_ERROR(ValueError, [] { nn::Dropout1d(1.5f); }, {"Dropout1d()", "[0, 1]", "1.5"});
    CHECK_ERROR(ValueError, [] { nn::Dropout1d(-1.0f); }, {"Dropout1d()", "-1"});
    std::ostringstream os;
    os << nn::Dropout1d();
    CHECK(os.str() == "Dropout1d(p=0.5)");
}
