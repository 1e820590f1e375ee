// SGD: the first steps against a reference loop written from PyTorch's documented algorithm for
// several option combinations, convergence on a quadratic and on Rosenbrock, options and checks.
#include "optim/problem.hpp"

#include "descent/nn/functional/cross_entropy.hpp"
#include "descent/nn/linear.hpp"
#include "descent/optim/sgd.hpp"

using namespace descent;
using namespace optim_test;
using optim::SGD;
using optim::SGDOptions;

namespace {

// torch.optim.SGD's documented algorithm, in double.
Update sgd_reference(double lr, double momentum, double dampening, double wd, bool nesterov) {
    auto b = std::make_shared<std::vector<double>>(x0.size());
    return [=](std::vector<double>& x, const std::vector<double>& g0, int t) {
        for (size_t i = 0; i < x.size(); ++i) {
            double g = g0[i] + wd * x[i];
            if (momentum != 0) {
                (*b)[i] = t > 1 ? momentum * (*b)[i] + (1 - dampening) * g : g;
                g = nesterov ? g + momentum * (*b)[i] : (*b)[i];
            }
            x[i] -= lr * g;
        }
    };
}

}  // namespace

TEST_CASE("SGD's first steps follow the documented update") {
    struct Case {
        double lr, momentum, dampening, wd;
        bool nesterov;
    };
    for (const Case& c :
         {Case{0.1, 0, 0, 0, false}, Case{0.1, 0, 0, 0.05, false}, Case{0.05, 0.9, 0, 0, false},
          Case{0.05, 0.9, 0.3, 0.01, false}, Case{0.05, 0.8, 0, 0.02, true}}) {
        CAPTURE(c.momentum);
        CAPTURE(c.dampening);
        CAPTURE(c.wd);
        CAPTURE(c.nesterov);
        std::vector<Tensor> params = make_params();
        SGD opt(params, SGDOptions(c.lr)
                            .momentum(c.momentum)
                            .dampening(c.dampening)
                            .weight_decay(c.wd)
                            .nesterov(c.nesterov));
        const Trajectory expected =
            reference(sgd_reference(c.lr, c.momentum, c.dampening, c.wd, c.nesterov), 23);
        CHECK_OUTCOME(compare(run(opt, params, 3), {expected.begin(), expected.begin() + 3}));
        // And the next twenty steps, where momentum has built up.
        CHECK_OUTCOME(compare(run(opt, params, 20), {expected.begin() + 3, expected.end()}, 1e-4));
    }
}

TEST_CASE("SGD converges on a quadratic and on Rosenbrock") {
    Tensor x = zeros({3}).requires_grad_();
    SGD plain({x}, 0.1);
    CHECK(minimise(
              plain, [&] { return quadratic(x); }, 200) < 1e-8);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-4);

    for (bool nesterov : {false, true}) {
        Tensor xy = tensor({-1.5f, 2.0f}).requires_grad_();
        SGD opt({xy}, SGDOptions(1e-3).momentum(0.9).nesterov(nesterov));
        CHECK(minimise(
                  opt, [&] { return rosenbrock(xy); }, 3000) < 1e-8);
        CHECK_VALUES(xy, {2}, {1, 1}, 1e-3);
    }
}

TEST_CASE("SGDOptions: defaults, chained setters and getters") {
    SGDOptions o(0.5);
    CHECK(o.lr() == 0.5);
    CHECK(o.momentum() == 0);
    CHECK(o.dampening() == 0);
    CHECK(o.weight_decay() == 0);
    CHECK_FALSE(o.nesterov());
    SGDOptions& same = o.momentum(0.9).nesterov(true).weight_decay(1e-4);
    CHECK(&same == &o);
    CHECK(o.momentum() == 0.9);
    CHECK(o.nesterov());
    CHECK(o.weight_decay() == 1e-4);
    o.set_lr(0.25);
    CHECK(o.get_lr() == 0.25);
    CHECK(o.clone()->get_lr() == 0.25);
}

TEST_CASE("SGD refuses invalid hyper-parameters") {
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { SGD(params, -0.1); }, {"SGD()", "lr", "-0.1"});
    CHECK_ERROR(ValueError, [&] { SGD(params, SGDOptions(0.1).momentum(-0.5)); },
                {"SGD()", "momentum", "-0.5"});
    CHECK_ERROR(ValueError, [&] { SGD(params, SGDOptions(0.1).weight_decay(-1)); },
                {"SGD()", "weight_decay", "-1"});
    CHECK_ERROR(ValueError, [&] { SGD(params, SGDOptions(0.1).nesterov(true)); },
                {"nesterov", "momentum 0"});
    CHECK_ERROR(ValueError,
                [&] { SGD(params, SGDOptions(0.1).momentum(0.9).dampening(0.1).nesterov(true)); },
                {"nesterov", "dampening 0.1"});
    CHECK_ERROR(ValueError, [&] { SGD(params, SGDOptions(std::nan(""))); }, {"lr", "nan"});
}

TEST_CASE("SGD steps float64 parameters in double (a module converted with to(kFloat64))") {
    nn::Linear lin(3, 2);
    lin.to(kFloat64);
    SGD opt(lin.parameters(), SGDOptions(0.1).momentum(0.9).weight_decay(0.01));
    const Tensor x =
        tensor(std::vector<double>{0.1, -0.7, 0.3, 1e-9, 0.25, -0.5}, {2, 3}, kFloat64);
    std::vector<double> p = lin.weight.detach().to_vector<double>(), b(p.size(), 0.0);
    for (int step = 1; step <= 2; ++step) {
        opt.zero_grad();
        nn::functional::cross_entropy(lin(x), {1, 0}).backward();
        const std::vector<double> g0 = lin.weight.grad().to_vector<double>();
        opt.step();
        for (size_t i = 0; i < p.size(); ++i) {  // torch.optim.SGD's rule in double
            const double g = g0[i] + 0.01 * p[i];
            b[i] = step == 1 ? g : 0.9 * b[i] + g;
            p[i] -= 0.1 * b[i];
        }
        CHECK(lin.weight.dtype() == kFloat64);
        const std::vector<double> got = lin.weight.detach().to_vector<double>();
        for (size_t i = 0; i < p.size(); ++i) CHECK(got[i] == doctest::Approx(p[i]).epsilon(1e-13));
    }
}
