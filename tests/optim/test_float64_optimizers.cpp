// AdamW, RMSprop, Adagrad, NAdam, RAdam, Adamax and Adadelta on float64 parameters: three steps of
// a Linear converted with to(kFloat64), against each torch.optim rule written out in double (1e-12:
// a float32 step would be off by about 1e-7).
#include <algorithm>
#include <cmath>
#include <functional>

#include "descent/nn/functional/cross_entropy.hpp"
#include "descent/nn/linear.hpp"
#include "descent/optim/adadelta.hpp"
#include "descent/optim/adagrad.hpp"
#include "descent/optim/adamax.hpp"
#include "descent/optim/adamw.hpp"
#include "descent/optim/nadam.hpp"
#include "descent/optim/radam.hpp"
#include "descent/optim/rmsprop.hpp"
#include "support.hpp"

using namespace descent;
using namespace descent::optim;

namespace {

// Runs three (or `steps`) steps of `opt` on `lin` and, beside them, `rule(p, g, t)` on a double
// copy of the weight; the two must agree to 1e-12 after every step.
void check_steps(
    nn::Linear& lin, Optimizer& opt,
    const std::function<void(std::vector<double>&, const std::vector<double>&, int)>& rule,
    int steps = 3) {
    const Tensor x =
        tensor(std::vector<double>{0.1, -0.7, 0.3, 1e-9, 0.25, -0.5}, {2, 3}, kFloat64);
    std::vector<double> p = lin.weight.detach().to_vector<double>();
    for (int t = 1; t <= steps; ++t) {
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

TEST_CASE("NAdam steps float64 parameters in double (mu_product a float32 scalar, as torch's)") {
    nn::Linear lin(3, 2);
    lin.to(kFloat64);
    NAdam opt(lin.parameters(), NAdamOptions(0.01).weight_decay(0.1));
    std::vector<double> m(6, 0.0), v(6, 0.0);
    float prod = 1.0f;
    check_steps(lin, opt, [&](std::vector<double>& p, const std::vector<double>& g0, int t) {
        const double mu = 0.9 * (1 - 0.5 * std::pow(0.96, t * 4e-3));
        const double mu_next = 0.9 * (1 - 0.5 * std::pow(0.96, (t + 1) * 4e-3));
        prod = prod * static_cast<float>(mu);
        const float prod_next = prod * static_cast<float>(mu) * static_cast<float>(mu_next);
        for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.NAdam 1.13's rule
            const double g = g0[i] + 0.1 * p[i];
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            const double denom = std::sqrt(v[i] / (1 - std::pow(0.999, t))) + 1e-8;
            p[i] += -0.01 * (1 - mu) / (1 - double(prod)) * g / denom;
            p[i] += -0.01 * mu_next / (1 - double(prod_next)) * m[i] / denom;
        }
    });
    CHECK(opt.state(0)->mu_product.dtype() == kFloat32);
}

TEST_CASE("RAdam steps float64 parameters in double, before and after rectification") {
    nn::Linear lin(3, 2);
    lin.to(kFloat64);
    RAdam opt(lin.parameters(), RAdamOptions(0.01).betas({0.9, 0.99}));
    std::vector<double> m(6, 0.0), v(6, 0.0);
    int rectified = 0;
    check_steps(
        lin, opt,
        [&](std::vector<double>& p, const std::vector<double>& g, int t) {
            const double bc1 = 1 - std::pow(0.9, t), bc2 = 1 - std::pow(0.99, t);
            const double rho_inf = 2 / (1 - 0.99) - 1;
            const double rho_t = rho_inf - 2 * t * std::pow(0.99, t) / bc2;
            rectified += rho_t > 5;
            for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.RAdam's rule
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
                const double m_hat = m[i] / bc1;
                if (rho_t > 5) {
                    const double r = std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                                               ((rho_inf - 4) * (rho_inf - 2) * rho_t));
                    p[i] -= m_hat * 0.01 * std::sqrt(bc2) / (std::sqrt(v[i]) + 1e-8) * r;
                } else {
                    p[i] -= m_hat * 0.01;
                }
            }
        },
        8);
    CHECK(rectified > 0);
    CHECK(rectified < 8);
}

TEST_CASE("Adamax and Adadelta step float64 parameters in double") {
    {
        nn::Linear lin(3, 2);
        lin.to(kFloat64);
        Adamax opt(lin.parameters(), AdamaxOptions(0.01).weight_decay(0.1));
        std::vector<double> m(6, 0.0), u(6, 0.0);
        check_steps(lin, opt, [&](std::vector<double>& p, const std::vector<double>& g0, int t) {
            for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.Adamax's rule
                const double g = g0[i] + 0.1 * p[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                u[i] = std::max(0.999 * u[i], std::fabs(g) + 1e-8);
                p[i] -= 0.01 / (1 - std::pow(0.9, t)) * m[i] / u[i];
            }
        });
    }
    nn::Linear lin(3, 2);
    lin.to(kFloat64);
    Adadelta opt(lin.parameters(), AdadeltaOptions(0.5).rho(0.8));
    std::vector<double> sq(6, 0.0), acc(6, 0.0);
    check_steps(lin, opt, [&](std::vector<double>& p, const std::vector<double>& g, int) {
        for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.Adadelta's rule
            sq[i] = 0.8 * sq[i] + 0.2 * g[i] * g[i];
            const double delta = std::sqrt(acc[i] + 1e-6) / std::sqrt(sq[i] + 1e-6) * g[i];
            acc[i] = 0.8 * acc[i] + 0.2 * delta * delta;
            p[i] -= 0.5 * delta;
        }
    });
}

TEST_CASE("A float64 optimizer's state dict loads back and resumes exactly") {
    nn::Linear a(3, 2), b(3, 2);
    a.to(kFloat64);
    b.to(kFloat64);
    b.load_state_dict(a.state_dict());
    NAdam first(a.parameters(), NAdamOptions(0.01));
    const Tensor x =
        tensor(std::vector<double>{0.1, -0.7, 0.3, 1e-9, 0.25, -0.5}, {2, 3}, kFloat64);
    auto step = [&](nn::Linear& lin, Optimizer& opt) {
        opt.zero_grad();
        nn::functional::cross_entropy(lin(x), {1, 0}).backward();
        opt.step();
    };
    for (int i = 0; i < 2; ++i) step(a, first);
    b.load_state_dict(a.state_dict());
    NAdam second(b.parameters(), NAdamOptions(0.01));
    second.load_state_dict(first.state_dict());
    CHECK(second.state(0)->exp_avg.dtype() == kFloat64);
    for (int i = 0; i < 3; ++i) {
        step(a, first);
        step(b, second);
    }
    CHECK(a.weight.detach().to_vector<double>() == b.weight.detach().to_vector<double>());
}
