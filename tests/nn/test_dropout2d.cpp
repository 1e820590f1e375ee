// functional::dropout2d and nn::Dropout2d: whole channels zeroed, the rest scaled by 1/(1-p), the
// gradient through the same mask, eval and p = 0 as identity, refused ranks.
#include "support.hpp"

#include <sstream>

#include "descent/nn/dropout.hpp"
#include "descent/nn/functional/dropout.hpp"

using namespace descent;
using nn::functional::dropout2d;
using V = std::vector<Tensor>;

TEST_CASE("dropout2d: each channel is zeroed whole or scaled by 1/(1-p)") {
    const Tensor x = test::input({20, 10, 3, 4}, 1, 0.5f, 1.5f).detach();
    Generator gen(4);
    const Tensor y = dropout2d(x, 0.4f, true, gen);
    int64_t dropped = 0;
    for (int64_t ch = 0; ch < 200; ++ch) {
        const float* xs = x.data() + ch * 12;
        const float* ys = y.data() + ch * 12;
        const bool zero = ys[0] == 0.0f;
        dropped += zero;
        for (int64_t k = 0; k < 12; ++k)
            CHECK(ys[k] == doctest::Approx(zero ? 0.0f : xs[k] / 0.6f));
    }
    // 200 channels with p = 0.4: mean 80, standard deviation 6.9, so 4 sigma is 28.
    CHECK(std::abs(dropped - 80) < 28);
    // The same generator state gives the same mask; a (C, H, W) input has one draw per channel.
    Generator a(9), b(9);
    CHECK(equal(dropout2d(x, 0.4f, true, a), dropout2d(x, 0.4f, true, b)));
    const Tensor y3 = dropout2d(ones({50, 2, 2}), 0.5f, true, a);
    for (int64_t ch = 0; ch < 50; ++ch)
        for (int64_t k = 1; k < 4; ++k) CHECK(y3.data()[ch * 4 + k] == y3.data()[ch * 4]);
}

TEST_CASE("dropout2d: identity in eval and for p = 0, zeros for p = 1, gradient through the mask") {
    const Tensor x = test::input({2, 3, 2, 2}, 2);
    CHECK(dropout2d(x, 0.5f, false).is_same(x));
    CHECK(dropout2d(x, 0.0f).is_same(x));
    CHECK_VALUES(dropout2d(ones({1, 2, 1, 1}), 1.0f), {1, 2, 1, 1}, {0, 0});
    Generator gen(3);
    const Tensor y = dropout2d(x, 0.5f, true, gen);
    y.backward(ones(y.shape()));
    for (int64_t i = 0; i < x.numel(); ++i)
        CHECK(x.grad().data()[i] == doctest::Approx(y.data()[i] / x.data()[i]));
    auto f = [](const V& v) {
        Generator g(5);
        return dropout2d(v[0], 0.3f, true, g);
    };
    CHECK_GRADIENTS(f, V{test::input({2, 3, 2, 2}, 6)});
}

TEST_CASE("Dropout2d: follows the training flag, refuses other ranks and bad p, prints p") {
    nn::Dropout2d drop(0.25f);
    const Tensor x = ones({4, 8, 2, 2});
    CHECK_FALSE(drop(x).is_same(x));
    drop.eval();
    CHECK(drop(x).is_same(x));
    CHECK_ERROR(ShapeError,
                [&] {
                    drop(ones({4, 8}));
                },
                {"Dropout2d: expected input (N, C, H, W) or (C, H, W), got (4, 8)"});
    CHECK_ERROR(ShapeError, [] { dropout2d(ones({4, 8})); }, {"dropout2d()", "(4, 8)"});
    CHECK_ERROR(ValueError, [] { nn::Dropout2d(1.5f); }, {"Dropout2d()", "[0, 1]", "1.5"});
    CHECK_ERROR(ValueError, [] { dropout2d(ones({1, 1, 1, 1}), -0.1f); }, {"dropout2d()"});
    std::ostringstream os;
    os << nn::Dropout2d();
    CHECK(os.str() == "Dropout2d(p=0.5)");
}
