// Adam: the first steps against a reference loop written from PyTorch's documented algorithm
// (bias-corrected moments, L2 decay added to the gradient, AMSGrad), convergence, and checks.
#include "optim/problem.hpp"

#include <algorithm>

#include "descent/nn/functional/cross_entropy.hpp"
#include "descent/nn/linear.hpp"
#include "descent/optim/adam.hpp"

using namespace descent;
using namespace optim_test;
using optim::Adam;
using optim::AdamOptions;

namespace {

// torch.optim.Adam's documented algorithm, in double; decoupled = AdamW's decay instead of L2.
Update adam_reference(double lr, double b1, double b2, double eps, double wd, bool amsgrad,
                      bool decoupled) {
    struct Moments {
        std::vector<double> m, v, vmax;
    };
    auto s = std::make_shared<Moments>();
    s->m = s->v = s->vmax = std::vector<double>(x0.size());
    return [=](std::vector<double>& x, const std::vector<double>& g0, int t) {
        for (size_t i = 0; i < x.size(); ++i) {
            double g = g0[i];
            if (decoupled)
                x[i] *= 1 - lr * wd;
            else
                g += wd * x[i];
            s->m[i] = b1 * s->m[i] + (1 - b1) * g;
            s->v[i] = b2 * s->v[i] + (1 - b2) * g * g;
            const double m_hat = s->m[i] / (1 - std::pow(b1, t));
            s->vmax[i] = std::max(s->vmax[i], s->v[i]);
            const double v_hat = (amsgrad ? s->vmax[i] : s->v[i]) / (1 - std::pow(b2, t));
            x[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
        }
    };
}

}  // namespace

TEST_CASE("Adam's first steps follow the documented update") {
    struct Case {
        double lr, b1, b2, eps, wd;
        bool amsgrad;
    };
    for (const Case& c :
         {Case{0.1, 0.9, 0.999, 1e-8, 0, false}, Case{0.05, 0.8, 0.99, 1e-3, 0.1, false},
          Case{0.1, 0.9, 0.999, 1e-8, 0, true}, Case{0.05, 0.5, 0.9, 1e-6, 0.05, true}}) {
        CAPTURE(c.b1);
        CAPTURE(c.wd);
        CAPTURE(c.amsgrad);
        std::vector<Tensor> params = make_params();
        Adam opt(
            params,
            AdamOptions(c.lr).betas({c.b1, c.b2}).eps(c.eps).weight_decay(c.wd).amsgrad(c.amsgrad));
        const Trajectory expected =
            reference(adam_reference(c.lr, c.b1, c.b2, c.eps, c.wd, c.amsgrad, false), 23);
        CHECK_OUTCOME(compare(run(opt, params, 3), {expected.begin(), expected.begin() + 3}));
        CHECK_OUTCOME(compare(run(opt, params, 20), {expected.begin() + 3, expected.end()}, 1e-4));
    }
}

TEST_CASE("Adam keeps exp_avg, exp_avg_sq and, with amsgrad, max_exp_avg_sq") {
    for (bool amsgrad : {false, true}) {
        std::vector<Tensor> params = make_params();
        Adam opt(params, AdamOptions(0.1).amsgrad(amsgrad));
        CHECK(opt.state(0) == nullptr);  // created lazily by the first step
        run(opt, params, 2);
        const optim::AdamParamState* s = opt.state(1);
        REQUIRE(s != nullptr);
        CHECK(s->step == 2);
        CHECK(s->exp_avg.shape() == Shape{1});
        CHECK(s->exp_avg_sq.shape() == Shape{1});
        CHECK(s->max_exp_avg_sq.defined() == amsgrad);
        // Adam's state has no momentum_buffer: none is saved either.
        for (const auto& [key, t] : opt.state_dict()) CHECK(key != "state.1.momentum_buffer");
    }
}

TEST_CASE("Adam converges on a quadratic and on Rosenbrock") {
    Tensor x = zeros({3}).requires_grad_();
    Adam opt({x}, AdamOptions(0.05));
    minimise(
        opt, [&] { return quadratic(x); }, 2000);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-3);
    for (bool amsgrad : {false, true}) {
        Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
        Adam rosen({xy}, AdamOptions(0.02).amsgrad(amsgrad));
        CHECK(minimise(
                  rosen, [&] { return rosenbrock(xy); }, 3000) < 1e-4);
        CHECK_VALUES(xy, {2}, {1, 1}, 2e-2);
    }
}

TEST_CASE("AdamOptions defaults are PyTorch's") {
    const AdamOptions o;
    CHECK(o.lr() == 1e-3);
    CHECK(std::get<0>(o.betas()) == 0.9);
    CHECK(std::get<1>(o.betas()) == 0.999);
    CHECK(o.eps() == 1e-8);
    CHECK(o.weight_decay() == 0);
    CHECK_FALSE(o.amsgrad());
}

TEST_CASE("Adam refuses invalid hyper-parameters") {
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { Adam(params, AdamOptions(-1)); }, {"Adam()", "lr", "-1"});
    CHECK_ERROR(ValueError,
                [&] {
                    Adam(params, AdamOptions().betas({1.0, 0.999}));
                },
                {"Adam()", "beta1", "1", "[0, 1)"});
    CHECK_ERROR(ValueError,
                [&] {
                    Adam(params, AdamOptions().betas({0.9, -0.1}));
                },
                {"beta2", "-0.1"});
    CHECK_ERROR(ValueError, [&] { Adam(params, AdamOptions().eps(-1e-8)); }, {"eps", "-1e-08"});
    CHECK_ERROR(ValueError, [&] { Adam(params, AdamOptions().weight_decay(-0.1)); },
                {"weight_decay", "-0.1"});
}

TEST_CASE("Adam steps float64 parameters in double (a module converted with to(kFloat64))") {
    nn::Linear lin(3, 2);
    lin.to(kFloat64);
    Adam opt(lin.parameters(), AdamOptions(0.01));
    const Tensor x =
        tensor(std::vector<double>{0.1, -0.7, 0.3, 1e-9, 0.25, -0.5}, {2, 3}, kFloat64);
    std::vector<double> p = lin.weight.detach().to_vector<double>(), m(p.size(), 0.0),
                        v(p.size(), 0.0);
    for (int t = 1; t <= 3; ++t) {
        opt.zero_grad();
        nn::functional::cross_entropy(lin(x), {1, 0}).backward();
        const std::vector<double> g = lin.weight.grad().to_vector<double>();
        opt.step();
        for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.Adam's rule in double
            m[i] = 0.9 * m[i] + 0.1 * g[i];
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            const double denom = std::sqrt(v[i]) / std::sqrt(1 - std::pow(0.999, t)) + 1e-8;
            p[i] -= 0.01 / (1 - std::pow(0.9, t)) * m[i] / denom;
        }
        CHECK(lin.weight.dtype() == kFloat64);
        const std::vector<double> got = lin.weight.detach().to_vector<double>();
        for (size_t i = 0; i < p.size(); ++i) CHECK(got[i] == doctest::Approx(p[i]).epsilon(1e-12));
    }
}
