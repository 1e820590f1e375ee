// AdamW, RMSprop and Adagrad on float64 parameters: three steps of a Linear converted with
// to(kFloat64), against each torch.optim rule written out in double (1e-12: a float32 step would
// be off by about 1e-7).
#include <cmath>
#include <functional>

#include "descent/nn/functional/cross_entropy.hpp"
#include "descent/nn/linear.hpp"
#include "descent/optim/adagrad.hpp"
#include "descent/optim/adamw.hpp"
#include "descent/optim/rmsprop.hpp"
#include "support.hpp"

using namespace descent;
using namespace descent::optim;

namespace {

// Runs three steps of `opt` on `lin` and, beside them, `rule(p, g, t)` on a double copy of the
// weight; the two must agree to 1e-12 after every step.
void check_steps(
    nn::Linear& lin, Optimizer& opt,
    const std::function<void(std::vector<double>&, const std::vector<double>&, int)>& rule) {
    const Tensor x =
        tensor(std::vector<double>{0.1, -0.7, 0.3, 1e-9, 0.25, -0.5}, {2, 3}, kFloat64);
    std::vector<double> p = lin.weight.detach().to_vector<double>();
    for (int t = 1; t <= 3; ++t) {
        opt.zero_grad();
        nn::functional::cross_entropy(lin(x), {1, 0}).backward();
        const std::vector<double> g = lin.weight.grad().to_vector<double>();
        opt.step();
        rule(p, g, t);
        REQUIRE(lin.weight.dtype() == kFloat64);
        const std::vector<double> got = lin.weight.detach().to_vector<double>();
        for (size_t i = 0; i < p.size(); ++i) CHECK(got[i] == doctest::Approx(p[i]).epsilon(1e-12));
    }
}

}  // namespace

TEST_CASE("AdamW steps float64 parameters in double") {
    nn::Linear lin(3, 2);
    lin.to(kFloat64);
    AdamW opt(lin.parameters(), AdamWOptions(0.01).weight_decay(0.1));
    std::vector<double> m(6, 0.0), v(6, 0.0);
    check_steps(lin, opt, [&](std::vector<double>& p, const std::vector<double>& g, int t) {
        for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.AdamW's rule
            p[i] *= 1 - 0.01 * 0.1;
            m[i] = 0.9 * m[i] + 0.1 * g[i];
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            const double denom = std::sqrt(v[i]) / std::sqrt(1 - std::pow(0.999, t)) + 1e-8;
            p[i] -= 0.01 / (1 - std::pow(0.9, t)) * m[i] / denom;
        }
    });
}

TEST_CASE("RMSprop, centered with momentum, steps float64 parameters in double") {
    nn::Linear lin(3, 2);
    lin.to(kFloat64);
    RMSprop opt(lin.parameters(), RMSpropOptions(0.01).momentum(0.9).centered(true));
    std::vector<double> s(6, 0.0), ga(6, 0.0), b(6, 0.0);
    check_steps(lin, opt, [&](std::vector<double>& p, const std::vector<double>& g, int) {
        for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.RMSprop's rule, alpha 0.99
            s[i] = 0.99 * s[i] + 0.01 * g[i] * g[i];
            ga[i] = 0.99 * ga[i] + 0.01 * g[i];
            const double avg = std::sqrt(s[i] - ga[i] * ga[i]) + 1e-8;
            b[i] = 0.9 * b[i] + g[i] / avg;
            p[i] -= 0.01 * b[i];
        }
    });
}

TEST_CASE("Adagrad steps float64 parameters in double, its accumulator in float64") {
    nn::Linear lin(3, 2);
    lin.to(kFloat64);
    Adagrad opt(lin.parameters(),
                AdagradOptions(0.1).lr_decay(0.01).initial_accumulator_value(0.1));
    std::vector<double> sum(6, 0.1);
    check_steps(lin, opt, [&](std::vector<double>& p, const std::vector<double>& g, int t) {
        const double clr = 0.1 / (1 + (t - 1) * 0.01);
        for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.Adagrad's rule
            sum[i] += g[i] * g[i];
            p[i] -= clr * g[i] / (std::sqrt(sum[i]) + 1e-10);
        }
    });
}
