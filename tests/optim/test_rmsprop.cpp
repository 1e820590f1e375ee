// RMSprop: the first steps against a reference loop written from PyTorch's documented algorithm
// (plain, centered, momentum, weight decay), convergence, state buffers and checks.
#include "optim/problem.hpp"

#include "descent/optim/rmsprop.hpp"

using namespace descent;
using namespace optim_test;
using optim::RMSprop;
using optim::RMSpropOptions;

namespace {

// torch.optim.RMSprop's documented algorithm, in double.
Update rmsprop_reference(double lr, double alpha, double eps, double wd, double momentum,
                         bool centered) {
    struct Averages {
        std::vector<double> v, g_ave, b;
    };
    auto s = std::make_shared<Averages>();
    s->v = s->g_ave = s->b = std::vector<double>(x0.size());
    return [=](std::vector<double>& x, const std::vector<double>& g0, int) {
        for (size_t i = 0; i < x.size(); ++i) {
            const double g = g0[i] + wd * x[i];
            s->v[i] = alpha * s->v[i] + (1 - alpha) * g * g;
            double v = s->v[i];
            if (centered) {
                s->g_ave[i] = alpha * s->g_ave[i] + (1 - alpha) * g;
                v -= s->g_ave[i] * s->g_ave[i];
            }
            if (momentum > 0) {
                s->b[i] = momentum * s->b[i] + g / (std::sqrt(v) + eps);
                x[i] -= lr * s->b[i];
            } else {
                x[i] -= lr * g / (std::sqrt(v) + eps);
            }
        }
    };
}

}  // namespace

TEST_CASE("RMSprop's first steps follow the documented update") {
    struct Case {
        double lr, alpha, eps, wd, momentum;
        bool centered;
    };
    for (const Case& c : {Case{0.01, 0.99, 1e-8, 0, 0, false}, Case{0.01, 0.9, 1e-4, 0.1, 0, false},
                          Case{0.01, 0.99, 1e-8, 0, 0, true}, Case{0.005, 0.9, 1e-6, 0, 0.9, false},
                          Case{0.005, 0.95, 1e-8, 0.05, 0.5, true}}) {
        CAPTURE(c.wd);
        CAPTURE(c.momentum);
        CAPTURE(c.centered);
        std::vector<Tensor> params = make_params();
        RMSprop opt(params, RMSpropOptions(c.lr)
                                .alpha(c.alpha)
                                .eps(c.eps)
                                .weight_decay(c.wd)
                                .momentum(c.momentum)
                                .centered(c.centered));
        const Trajectory expected =
            reference(rmsprop_reference(c.lr, c.alpha, c.eps, c.wd, c.momentum, c.centered), 23);
        CHECK_OUTCOME(compare(run(opt, params, 3), {expected.begin(), expected.begin() + 3}));
        CHECK_OUTCOME(compare(run(opt, params, 20), {expected.begin() + 3, expected.end()}, 1e-4));
    }
}

TEST_CASE("RMSprop keeps square_avg, grad_avg when centered, momentum_buffer with momentum") {
    std::vector<Tensor> params = make_params();
    RMSprop plain(params, RMSpropOptions());
    run(plain, params, 1);
    CHECK(plain.state(0)->square_avg.shape() == Shape{2});
    CHECK_FALSE(plain.state(0)->grad_avg.defined());
    CHECK_FALSE(plain.state(0)->momentum_buffer.defined());
    std::vector<Tensor> more = make_params();
    RMSprop full(more, RMSpropOptions().centered(true).momentum(0.9));
    run(full, more, 1);
    CHECK(full.state(0)->grad_avg.shape() == Shape{2});
    CHECK(full.state(0)->momentum_buffer.shape() == Shape{2});
}

TEST_CASE("RMSprop converges on a quadratic and on Rosenbrock") {
    Tensor x = zeros({3}).requires_grad_();
    RMSprop opt({x}, RMSpropOptions(0.01));
    minimise(
        opt, [&] { return quadratic(x); }, 1500);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-2);
    for (bool centered : {false, true}) {
        Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
        RMSprop rosen({xy}, RMSpropOptions(1e-3).momentum(0.9).centered(centered));
        CHECK(minimise(
                  rosen, [&] { return rosenbrock(xy); }, 3000) < 1e-3);
        CHECK_VALUES(xy, {2}, {1, 1}, 3e-2);
    }
}

TEST_CASE("RMSpropOptions defaults are PyTorch's, and RMSprop checks its options") {
    const RMSpropOptions o;
    CHECK(o.lr() == 1e-2);
    CHECK(o.alpha() == 0.99);
    CHECK(o.eps() == 1e-8);
    CHECK(o.weight_decay() == 0);
    CHECK(o.momentum() == 0);
    CHECK_FALSE(o.centered());
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { RMSprop(params, RMSpropOptions(-0.01)); },
                {"RMSprop()", "lr", "-0.01"});
    CHECK_ERROR(ValueError, [&] { RMSprop(params, RMSpropOptions().alpha(-0.5)); },
                {"alpha", "-0.5"});
    CHECK_ERROR(ValueError, [&] { RMSprop(params, RMSpropOptions().eps(-1)); }, {"eps", "-1"});
    CHECK_ERROR(ValueError, [&] { RMSprop(params, RMSpropOptions().momentum(-0.9)); },
                {"momentum", "-0.9"});
    CHECK_ERROR(ValueError, [&] { RMSprop(params, RMSpropOptions().weight_decay(-2)); },
                {"weight_decay", "-2"});
}
