// nn::init: bounds, mean and standard deviation (with tolerances from the sample size), gains,
// fans, reproducibility under manual_seed, use on parameters, and errors.
#include "support.hpp"

#include <cmath>

#include "descent/nn/init.hpp"

using namespace descent;
namespace init = descent::nn::init;

namespace {

struct Stats {
    double min, max, mean, std;
};

Stats stats(const Tensor& t) {
    Stats s{1e30, -1e30, 0, 0};
    double sq = 0;
    for (int64_t i = 0; i < t.numel(); ++i) {
        const double v = t.data()[i];
        s.min = std::min(s.min, v);
        s.max = std::max(s.max, v);
        s.mean += v;
        sq += v * v;
    }
    s.mean /= t.numel();
    s.std = std::sqrt(sq / t.numel() - s.mean * s.mean);
    return s;
}

// A (200, 300) parameter: 60,000 draws, so the sample mean is within 4σ/245 of the true one and
// the sample std within about 2% of the true one.
Tensor param() { return zeros({200, 300}).requires_grad_(); }

}  // namespace

TEST_CASE("init: uniform_ and normal_ have the asked bounds, mean and std") {
    Tensor u = init::uniform_(param(), -3.0, 1.0);
    Stats s = stats(u);
    CHECK(s.min >= -3.0);
    CHECK(s.max < 1.0);
    CHECK(s.mean == doctest::Approx(-1.0).epsilon(0.02));
    CHECK(s.std == doctest::Approx(4.0 / std::sqrt(12.0)).epsilon(0.02));
    CHECK(u.requires_grad());  // still a parameter

    s = stats(init::normal_(param(), 2.0, 0.5));
    CHECK(std::abs(s.mean - 2.0) < 4 * 0.5 / 245);
    CHECK(s.std == doctest::Approx(0.5).epsilon(0.02));
    s = stats(init::normal_(param()));
    CHECK(std::abs(s.mean) < 4.0 / 245);
    CHECK(s.std == doctest::Approx(1.0).epsilon(0.02));
}

TEST_CASE("init: constant_, zeros_ and ones_") {
    CHECK(equal(init::constant_(param(), 0.25), full({200, 300}, 0.25f)));
    CHECK(equal(init::zeros_(ones({3})), zeros({3})));
    CHECK(equal(init::ones_(zeros({2, 2})), ones({2, 2})));
    // Returns the same tensor it filled.
    Tensor t = zeros({4});
    CHECK(init::ones_(t).is_same(t));
}

TEST_CASE("init: gains and fans as PyTorch defines them") {
    using init::Nonlinearity;
    CHECK(init::calculate_gain(Nonlinearity::Linear) == 1.0);
    CHECK(init::calculate_gain(Nonlinearity::Conv2D) == 1.0);
    CHECK(init::calculate_gain(Nonlinearity::Sigmoid) == 1.0);
    CHECK(init::calculate_gain(Nonlinearity::Tanh) == doctest::Approx(5.0 / 3));
    CHECK(init::calculate_gain(Nonlinearity::ReLU) == doctest::Approx(std::sqrt(2.0)));
    CHECK(init::calculate_gain(Nonlinearity::SELU) == 0.75);
    CHECK(init::calculate_gain(Nonlinearity::LeakyReLU) == doctest::Approx(std::sqrt(2 / 1.0001)));
    CHECK(init::calculate_gain(Nonlinearity::LeakyReLU, 0) == doctest::Approx(std::sqrt(2.0)));
    CHECK(init::calculate_gain(Nonlinearity::LeakyReLU, std::sqrt(5.0)) ==
          doctest::Approx(std::sqrt(1 / 3.0)));
    CHECK(init::calculate_fan_in_and_fan_out(zeros({20, 30})) ==
          std::pair<int64_t, int64_t>{30, 20});
    // A conv weight (out, in, kh, kw): the kernel multiplies both fans.
    CHECK(init::calculate_fan_in_and_fan_out(zeros({8, 3, 5, 5})) ==
          std::pair<int64_t, int64_t>{75, 200});
}

TEST_CASE("init: xavier and kaiming bounds and standard deviations") {
    // (200, 300): fan_in 300, fan_out 200.
    const double xb = 2.0 * std::sqrt(6.0 / 500);
    Stats s = stats(init::xavier_uniform_(param(), 2.0));
    CHECK(s.min >= -xb);
    CHECK(s.max <= xb);
    CHECK(s.max > 0.99 * xb);
    CHECK(s.std == doctest::Approx(xb / std::sqrt(3.0)).epsilon(0.02));
    s = stats(init::xavier_normal_(param()));
    CHECK(s.std == doctest::Approx(std::sqrt(2.0 / 500)).epsilon(0.02));
    CHECK(std::abs(s.mean) < 4 * std::sqrt(2.0 / 500) / 245);

    // kaiming_uniform_ with the defaults (a = 0, fan_in, leaky_relu): bound √3·√2/√300.
    const double kb = std::sqrt(3.0) * std::sqrt(2.0) / std::sqrt(300.0);
    s = stats(init::kaiming_uniform_(param()));
    CHECK(s.min >= -kb);
    CHECK(s.max <= kb);
    CHECK(s.max > 0.99 * kb);
    CHECK(s.min < -0.99 * kb);
    // a = √5 gives Linear's 1/√fan_in.
    s = stats(init::kaiming_uniform_(param(), std::sqrt(5.0)));
    CHECK(s.max <= 1 / std::sqrt(300.0));
    CHECK(s.max > 0.99 / std::sqrt(300.0));
    // fan_out and relu: std √2/√200.
    s = stats(init::kaiming_normal_(param(), 0, init::FanMode::FanOut, init::Nonlinearity::ReLU));
    CHECK(s.std == doctest::Approx(std::sqrt(2.0 / 200)).epsilon(0.02));
    s = stats(init::kaiming_normal_(param(), 0, init::FanMode::FanIn, init::Nonlinearity::Tanh));
    CHECK(s.std == doctest::Approx(5.0 / 3 / std::sqrt(300.0)).epsilon(0.02));
}

TEST_CASE("init: reproducible under manual_seed and with an explicit generator") {
    manual_seed(21);
    const Tensor a = init::kaiming_normal_(zeros({10, 10}));
    const Tensor b = init::xavier_uniform_(zeros({10, 10}));
    manual_seed(21);
    CHECK(equal(init::kaiming_normal_(zeros({10, 10})), a));
    CHECK(equal(init::xavier_uniform_(zeros({10, 10})), b));
    Generator g1(5), g2(5);
    CHECK(equal(init::normal_(zeros({6}), 0, 1, g1), init::normal_(zeros({6}), 0, 1, g2)));
    // An explicit generator leaves the default one alone.
    manual_seed(21);
    Generator g3(99);
    init::uniform_(zeros({100}), 0, 1, g3);
    CHECK(equal(init::kaiming_normal_(zeros({10, 10})), a));
}

TEST_CASE("init errors") {
    CHECK_ERROR(ValueError, [] { init::xavier_uniform_(zeros({5})); },
                {"calculate_fan_in_and_fan_out()", "2 dims", "(5)"});
    CHECK_ERROR(ValueError,
                [] {
                    init::kaiming_normal_(zeros({4, 0}));
                },
                {"kaiming_normal_()", "fan_in", "(4, 0)"});
    CHECK_ERROR(ValueError,
                [] {
                    init::xavier_normal_(zeros({0, 0}));
                },
                {"xavier_normal_()", "(0, 0)"});
    CHECK_ERROR(ValueError, [] { init::normal_(zeros({2}), 0, -1); }, {"normal_()", "-1"});
    CHECK_ERROR(ValueError, [] { init::uniform_(zeros({2}), 1, 0); },
                {"uniform_()", "a = 1", "b = 0"});
    CHECK_ERROR(ValueError, [] { init::zeros_(Tensor()); }, {"constant_()", "undefined"});
}
