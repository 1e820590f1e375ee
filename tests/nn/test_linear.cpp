// nn::Linear: shapes, parameters, PyTorch's default initialisation bounds, forward, errors.
#include "support.hpp"

#include <cmath>
#include <sstream>

#include "descent/nn/linear.hpp"

using namespace descent;

TEST_CASE("Linear: parameters, shapes and the default init bounds U(-1/sqrt(in), 1/sqrt(in))") {
    manual_seed(1);
    nn::Linear lin(400, 300);
    CHECK(lin.weight.shape() == Shape{300, 400});
    CHECK(lin.bias.shape() == Shape{300});
    CHECK(lin.in_features == 400);
    CHECK(lin.out_features == 300);
    const auto params = lin.named_parameters();
    REQUIRE(params.size() == 2);
    CHECK(params[0].first == "weight");
    CHECK(params[0].second.is_same(lin.weight));
    CHECK(params[1].first == "bias");
    const float bound = 1.0f / std::sqrt(400.0f);  // 0.05
    for (const Tensor& p : {lin.weight, lin.bias}) {
        float lo = 1, hi = -1;
        double mean = 0, sq = 0;
        for (int64_t i = 0; i < p.numel(); ++i) {
            lo = std::min(lo, p.data()[i]);
            hi = std::max(hi, p.data()[i]);
            mean += p.data()[i];
            sq += double(p.data()[i]) * p.data()[i];
        }
        mean /= p.numel();
        const double var = sq / p.numel() - mean * mean;
        CHECK(lo >= -bound);
        CHECK(hi <= bound);
        // The bounds are reached: not a narrower distribution.
        CHECK(hi > 0.95f * bound);
        CHECK(lo < -0.95f * bound);
        // U(-a, a) has variance a²/3; the bias has only 300 draws, hence the looser tolerance.
        CHECK(var == doctest::Approx(bound * bound / 3).epsilon(p.dim() == 2 ? 0.02 : 0.2));
        CHECK(std::abs(mean) < (p.dim() == 2 ? 0.002 : 0.01));
    }
    // Seeded: the same seed gives the same layer, another seed another one.
    manual_seed(1);
    nn::Linear again(400, 300);
    CHECK(equal(again.weight, lin.weight));
    CHECK(equal(again.bias, lin.bias));
    nn::Linear other(400, 300);
    CHECK_FALSE(equal(other.weight, lin.weight));
}

TEST_CASE("Linear: forward is x·Wᵀ + b, without bias x·Wᵀ") {
    nn::Linear lin(3, 2);
    {
        NoGradGuard no_grad;
        lin.weight.copy_(tensor({1, 0, -1, 2, 1, 0.5f}, {2, 3}));
        lin.bias.copy_(tensor({10, -10}));
    }
    CHECK_VALUES(lin(tensor({1, 2, 3, -1, 0, 2}, {2, 3})), {2, 2}, {8, -4.5f, 7, -11});
    nn::Linear nobias(3, 2, false);
    CHECK_FALSE(nobias.bias.defined());
    CHECK(nobias.parameters().size() == 1);
    {
        NoGradGuard no_grad;
        nobias.weight.copy_(tensor({1, 0, -1, 2, 1, 0.5f}, {2, 3}));
    }
    CHECK_VALUES(nobias(tensor({1, 2, 3}, {1, 3})), {1, 2}, {-2, 5.5f});
    // Gradients reach both parameters.
    lin(tensor({1, 2, 3}, {1, 3})).sum().backward();
    CHECK_VALUES(lin.weight.grad(), {2, 3}, {1, 2, 3, 1, 2, 3});
    CHECK_VALUES(lin.bias.grad(), {2}, {1, 1});
}

TEST_CASE("Linear: printing and constructor errors") {
    std::ostringstream os;
    os << nn::Linear(784, 256);
    CHECK(os.str() == "Linear(in_features=784, out_features=256, bias=true)");
    CHECK_ERROR(ValueError, [] { nn::Linear(0, 3); }, {"Linear()", "0", "3"});
    CHECK_ERROR(ValueError, [] { nn::Linear(3, -1); }, {"Linear()", "-1"});
    nn::Linear lin(5, 4);
    CHECK_ERROR(ShapeError, [&] { lin(zeros({2, 6})); }, {"linear()", "(2, 6)", "(4, 5)"});
}
