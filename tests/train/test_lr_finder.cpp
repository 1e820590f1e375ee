// lr_range_test: the exponential sweep and its moving average, the divergence stop, a suggestion
// below the known stability limit 2/L of gradient descent on a quadratic, a model and optimizer
// left exactly as they were, and every bad option refused by name.
#include "descent/train/lr_finder.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/linear.hpp"
#include "descent/optim/adam.hpp"
#include "descent/optim/lbfgs.hpp"
#include "descent/optim/sgd.hpp"
#include "support.hpp"

using namespace descent;

namespace {

// f(x) = ½ Σ λ_i x_i² with λ spread over [1, L]: gradient descent is stable iff lr < 2/L.
struct Quadratic : nn::Module {
    Tensor x, lambda;
    Quadratic(int n, double L) : nn::Module("Quadratic") {
        std::vector<float> l(static_cast<size_t>(n)), x0(static_cast<size_t>(n), 1.0f);
        for (int i = 0; i < n; ++i)
            l[static_cast<size_t>(i)] =
                static_cast<float>(std::pow(L, static_cast<double>(i) / (n - 1)));
        x = register_parameter("x", tensor(x0, {n}));
        lambda = register_buffer("lambda", tensor(l, {n}));
    }
    Tensor loss() { return sum(lambda * x * x) * 0.5f; }
};

}  // namespace

TEST_CASE("lr_range_test on a quadratic: diverges past 2/L and suggests an lr below it") {
    const double L = 100;
    Quadratic q(20, L);
    optim::SGD sgd(q.parameters(), optim::SGDOptions(0.1));
    train::LRFinderOptions o;
    o.start_lr = 1e-5;
    o.end_lr = 1;  // 50x the limit 2/L = 0.02
    o.num_iter = 200;
    const train::LRFinderResult r = train::lr_range_test(q, sgd, [&] { return q.loss(); }, o);

    REQUIRE(r.diverged);
    REQUIRE(r.lrs.size() >= 3);
    CHECK(r.stopped_at < o.num_iter);
    CHECK(r.lrs.size() == r.losses.size());
    CHECK(r.lrs.size() == r.smoothed.size());
    // The sweep: start_lr·(end/start)^(i/(n-1)).
    CHECK(r.lrs[0] == doctest::Approx(o.start_lr));
    CHECK(r.lrs[1] == doctest::Approx(o.start_lr * std::pow(1e5, 1.0 / 199)));
    // The first smoothed loss is the raw one (bias correction); the first raw one is f(x0) = ½ Σ λ.
    CHECK(r.smoothed[0] == doctest::Approx(r.losses[0]));
    CHECK(r.losses[0] == doctest::Approx(0.5 * q.lambda.sum().item()).epsilon(1e-5));
    for (size_t i = 0; i < r.losses.size(); ++i) {
        CHECK(std::isfinite(r.losses[i]));
        CHECK(std::isfinite(r.smoothed[i]));
    }
    // Below 2/L every mode contracts, so the raw loss falls at every step; it can only blow up
    // past 2/L. (The minimum itself comes later, ~0.1 here: the stiff mode was already near 0
    // when it turned unstable and takes a few steps to grow back, which is why the minimum is no
    // suggestion.)
    for (size_t i = 0; i + 1 < r.losses.size() && r.lrs[i] < 2 / L; ++i)
        CHECK(r.losses[i + 1] <= r.losses[i]);
    CHECK(r.lrs.back() > 2 / L);
    // The suggestion is inside the stable range, and not absurdly far below its edge.
    CHECK(r.suggested_lr < 2 / L);
    CHECK(r.suggested_lr > (2 / L) / 100);
    CHECK(r.suggested_lr >= r.lrs.front());
}

TEST_CASE("lr_range_test runs to end_lr without diverging when end_lr is stable") {
    Quadratic q(10, 10);  // limit 2/L = 0.2
    optim::SGD sgd(q.parameters(), optim::SGDOptions(0.1));
    train::LRFinderOptions o;
    o.start_lr = 1e-4;
    o.end_lr = 0.1;
    o.num_iter = 50;
    const train::LRFinderResult r = train::lr_range_test(q, sgd, [&] { return q.loss(); }, o);
    CHECK_FALSE(r.diverged);
    CHECK(r.stopped_at == 50);
    REQUIRE(r.lrs.size() == 50);
    CHECK(r.lrs.back() == doctest::Approx(0.1));
    CHECK(r.losses.back() < r.losses.front());
}

TEST_CASE("lr_range_test stops at a non-finite loss without recording it") {
    Quadratic q(5, 10);
    optim::SGD sgd(q.parameters(), optim::SGDOptions(0.1));
    int calls = 0;
    train::LRFinderOptions o;
    o.num_iter = 20;
    o.diverge_factor = 1e30;  // only the non-finite check can stop it
    const train::LRFinderResult r = train::lr_range_test(
        q, sgd,
        [&] {
            return ++calls == 8 ? q.loss() * std::numeric_limits<float>::quiet_NaN() : q.loss();
        },
        o);
    CHECK(r.diverged);
    CHECK(r.stopped_at == 7);
    CHECK(r.losses.size() == 7);
    CHECK(calls == 8);
}

TEST_CASE("lr_range_test leaves parameters, gradients, optimizer state and lrs unchanged") {
    Generator gen(3);
    nn::Linear model(4, 3);
    const Tensor x = randn({16, 4}, gen), y = randn({16, 3}, gen);
    auto loss = [&] { return mean((model(x) - y) * (model(x) - y)); };
    // Two groups with their own lrs, and momentum state from a few real steps first.
    std::vector<optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<Tensor>{model.weight},
                        std::make_unique<optim::AdamOptions>(0.01));
    groups.emplace_back(std::vector<Tensor>{model.bias}, std::make_unique<optim::AdamOptions>(0.003));
    optim::Adam adam(std::move(groups));
    for (int s = 0; s < 3; ++s) {
        adam.zero_grad();
        loss().backward();
        adam.step();
    }
    loss().backward();  // a gradient to keep, too
    const Tensor w = model.weight.clone(), b = model.bias.clone(), gw = model.weight.grad().clone();
    const NamedTensors state = adam.state_dict();

    train::LRFinderOptions o;
    o.num_iter = 30;
    const train::LRFinderResult r = train::lr_range_test(model, adam, loss, o);
    CHECK(r.lrs.size() >= 2);

    CHECK(equal(model.weight, w));
    CHECK(equal(model.bias, b));
    REQUIRE(model.weight.grad().defined());
    CHECK(equal(model.weight.grad(), gw));
    CHECK(adam.param_groups()[0].options().get_lr() == 0.01);
    CHECK(adam.param_groups()[1].options().get_lr() == 0.003);
    const NamedTensors after = adam.state_dict();
    REQUIRE(after.size() == state.size());
    for (size_t i = 0; i < state.size(); ++i) {
        CHECK(after[i].first == state[i].first);
        CHECK(equal(after[i].second, state[i].second));
    }
    // A fresh optimizer stays fresh: no state appears.
    optim::SGD fresh(model.parameters(), optim::SGDOptions(0.1).momentum(0.9));
    const size_t fresh_entries = fresh.state_dict().size();
    train::lr_range_test(model, fresh, loss, o);
    CHECK(fresh.state(0) == nullptr);
    CHECK(fresh.state_dict().size() == fresh_entries);
    CHECK(equal(model.weight, w));
}

TEST_CASE("lr_range_test restores the model when step_loss throws") {
    Quadratic q(5, 10);
    const Tensor x0 = q.x.clone();
    optim::SGD sgd(q.parameters(), optim::SGDOptions(0.1));
    int calls = 0;
    auto throwing = [&]() -> Tensor {
        if (++calls == 5) throw std::runtime_error("data ran out");
        return q.loss();
    };
    CHECK_THROWS_AS(train::lr_range_test(q, sgd, throwing), std::runtime_error);
    CHECK(equal(q.x, x0));
    CHECK(sgd.param_groups()[0].options().get_lr() == 0.1);
}

TEST_CASE("lr_range_test refuses bad options, LBFGS and a loss that is not one element") {
    Quadratic q(3, 10);
    optim::SGD sgd(q.parameters(), optim::SGDOptions(0.1));
    auto loss = [&] { return q.loss(); };
    auto with = [&](auto change) {
        train::LRFinderOptions o;
        change(o);
        return [&q, &sgd, loss, o] { train::lr_range_test(q, sgd, loss, o); };
    };
    const double nan = std::nan("");
    using O = train::LRFinderOptions;
    CHECK_ERROR(ValueError, with([](O& o) { o.start_lr = 0; }),
                {"lr_range_test()", "start_lr", "> 0", "got 0"});
    CHECK_ERROR(ValueError, with([&](O& o) { o.start_lr = nan; }), {"start_lr", "nan"});
    CHECK_ERROR(ValueError, with([](O& o) { o.end_lr = 1e-8; }),
                {"lr_range_test()", "end_lr", "start_lr 1e-07", "got 1e-08"});
    CHECK_ERROR(ValueError, with([&](O& o) { o.end_lr = nan; }), {"end_lr", "nan"});
    CHECK_ERROR(ValueError, with([](O& o) { o.end_lr = std::numeric_limits<double>::infinity(); }),
                {"end_lr", "inf"});
    CHECK_ERROR(ValueError, with([](O& o) { o.num_iter = 1; }),
                {"lr_range_test()", "num_iter", ">= 2", "got 1"});
    CHECK_ERROR(ValueError, with([](O& o) { o.smooth = 1; }),
                {"lr_range_test()", "smooth", "[0, 1)", "got 1"});
    CHECK_ERROR(ValueError, with([](O& o) { o.smooth = -0.1; }), {"smooth", "got -0.1"});
    CHECK_ERROR(ValueError, with([&](O& o) { o.smooth = nan; }), {"smooth", "nan"});
    CHECK_ERROR(ValueError, with([](O& o) { o.diverge_factor = 1; }),
                {"lr_range_test()", "diverge_factor", "> 1", "got 1"});
    CHECK_ERROR(ValueError, with([&](O& o) { o.diverge_factor = nan; }),
                {"diverge_factor", "nan"});

    optim::LBFGS lbfgs(q.parameters());
    CHECK_ERROR(ValueError, [&] { train::lr_range_test(q, lbfgs, loss); },
                {"lr_range_test()", "LBFGS"});
    CHECK_ERROR(ValueError, [&] { train::lr_range_test(q, sgd, [&] { return q.x * 1.0f; }); },
                {"lr_range_test()", "one-element", "3 elements"});
    CHECK(sgd.param_groups()[0].options().get_lr() == 0.1);
}
