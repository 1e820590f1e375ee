// Adagrad: the first steps against a reference loop written from PyTorch's documented algorithm
// (lr decay, weight decay, initial accumulator), convergence and checks.
#include "optim/problem.hpp"

#include "descent/optim/adagrad.hpp"

using namespace descent;
using namespace optim_test;
using optim::Adagrad;
using optim::AdagradOptions;

namespace {

// torch.optim.Adagrad's documented algorithm, in double.
Update adagrad_reference(double lr, double lr_decay, double wd, double init, double eps) {
    auto sum = std::make_shared<std::vector<double>>(x0.size(), init);
    return [=](std::vector<double>& x, const std::vector<double>& g0, int t) {
        const double clr = lr / (1 + (t - 1) * lr_decay);
        for (size_t i = 0; i < x.size(); ++i) {
            const double g = g0[i] + wd * x[i];
            (*sum)[i] += g * g;
            x[i] -= clr * g / (std::sqrt((*sum)[i]) + eps);
        }
    };
}

}  // namespace

TEST_CASE("Adagrad's first steps follow the documented update") {
    struct Case {
        double lr, lr_decay, wd, init, eps;
    };
    for (const Case& c : {Case{0.1, 0, 0, 0, 1e-10}, Case{0.1, 0.1, 0, 0, 1e-10},
                          Case{0.2, 0.05, 0.1, 0.5, 1e-6}}) {
        CAPTURE(c.lr_decay);
        CAPTURE(c.wd);
        CAPTURE(c.init);
        std::vector<Tensor> params = make_params();
        Adagrad opt(params, AdagradOptions(c.lr)
                                .lr_decay(c.lr_decay)
                                .weight_decay(c.wd)
                                .initial_accumulator_value(c.init)
                                .eps(c.eps));
        const Trajectory expected =
            reference(adagrad_reference(c.lr, c.lr_decay, c.wd, c.init, c.eps), 23);
        CHECK_OUTCOME(compare(run(opt, params, 3), {expected.begin(), expected.begin() + 3}));
        CHECK_OUTCOME(compare(run(opt, params, 20), {expected.begin() + 3, expected.end()}, 1e-4));
    }
}

TEST_CASE("Adagrad converges on a quadratic and descends Rosenbrock's valley") {
    Tensor x = zeros({3}).requires_grad_();
    Adagrad opt({x}, AdagradOptions(0.5));
    minimise(
        opt, [&] { return quadratic(x); }, 1000);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-3);
    // Adagrad's shrinking steps crawl along the valley: from 12.5 to well under 1% of it.
    Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
    Adagrad rosen({xy}, AdagradOptions(1.0));
    CHECK(rosenbrock(xy).item() == doctest::Approx(12.5));
    CHECK(minimise(
              rosen, [&] { return rosenbrock(xy); }, 3000) < 0.05);
}

TEST_CASE("AdagradOptions defaults are PyTorch's, and Adagrad checks its options") {
    const AdagradOptions o;
    CHECK(o.lr() == 1e-2);
    CHECK(o.lr_decay() == 0);
    CHECK(o.weight_decay() == 0);
    CHECK(o.initial_accumulator_value() == 0);
    CHECK(o.eps() == 1e-10);
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { Adagrad(params, AdagradOptions(-1)); }, {"Adagrad()", "lr"});
    CHECK_ERROR(ValueError, [&] { Adagrad(params, AdagradOptions().lr_decay(-0.1)); },
                {"lr_decay", "-0.1"});
    CHECK_ERROR(ValueError,
                [&] { Adagrad(params, AdagradOptions().initial_accumulator_value(-1)); },
                {"initial_accumulator_value", "-1"});
    CHECK_ERROR(ValueError, [&] { Adagrad(params, AdagradOptions().eps(-1e-10)); }, {"eps"});
    CHECK_ERROR(ValueError, [&] { Adagrad(params, AdagradOptions().weight_decay(-1)); },
                {"weight_decay"});
}
