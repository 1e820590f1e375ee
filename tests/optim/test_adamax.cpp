// Adamax: torch.optim.Adamax 1.13's float32 trajectories bit for bit (with weight decay and
// maximize), its state, convergence, defaults and refusals.
#include "optim/problem.hpp"

#include "descent/optim/adamax.hpp"

using namespace descent;
using namespace optim_test;
using optim::Adamax;
using optim::AdamaxOptions;

TEST_CASE("Adamax follows torch.optim.Adamax bit for bit") {
    {
        std::vector<Tensor> params = make_params();
        Adamax opt(params, AdamaxOptions(0.1));
        CHECK_OUTCOME(equals_torch(run(opt, params, 23), "Adamax_default"));
    }
    std::vector<Tensor> params = make_params();
    Adamax opt(params,
               AdamaxOptions(0.05).betas({0.8, 0.99}).eps(1e-3).weight_decay(0.1).maximize(true));
    CHECK_OUTCOME(equals_torch(run(opt, params, 23), "Adamax_decay_maximize"));
}

TEST_CASE("Adamax keeps exp_avg and exp_inf") {
    std::vector<Tensor> params = make_params();
    Adamax opt(params, AdamaxOptions(0.1));
    run(opt, params, 1);
    // After one step from zero: u = |g| + ε, g(2) = 1.5 + 4
    CHECK(opt.state(1)->exp_inf.item() == doctest::Approx(5.5));
    std::vector<std::string> keys;
    for (const auto& [key, t] : opt.state_dict())
        if (key.rfind("state.1.", 0) == 0) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"state.1.step", "state.1.exp_avg", "state.1.exp_inf"});
}

TEST_CASE("Adamax converges on a quadratic") {
    Tensor x = zeros({3}).requires_grad_();
    Adamax opt({x}, AdamaxOptions(0.05));
    minimise(
        opt, [&] { return quadratic(x); }, 2000);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-3);
}

TEST_CASE("AdamaxOptions defaults are PyTorch's") {
    const AdamaxOptions o;
    CHECK(o.lr() == 2e-3);
    CHECK(std::get<0>(o.betas()) == 0.9);
    CHECK(std::get<1>(o.betas()) == 0.999);
    CHECK(o.eps() == 1e-8);
    CHECK(o.weight_decay() == 0);
    CHECK_FALSE(o.maximize());
}

TEST_CASE("Adamax refuses invalid hyper-parameters") {
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { Adamax(params, AdamaxOptions(-1)); }, {"Adamax()", "lr", "-1"});
    CHECK_ERROR(ValueError,
                [&] {
                    Adamax(params, AdamaxOptions().betas({1.0, 0.9}));
                },
                {"Adamax()", "beta1", "1", "[0, 1)"});
    CHECK_ERROR(ValueError,
                [&] {
                    Adamax(params, AdamaxOptions().betas({0.9, 2.0}));
                },
                {"Adamax()", "beta2", "2"});
    CHECK_ERROR(ValueError, [&] { Adamax(params, AdamaxOptions().eps(-1)); },
                {"Adamax()", "eps", "-1"});
    CHECK_ERROR(ValueError, [&] { Adamax(params, AdamaxOptions().weight_decay(-0.5)); },
                {"Adamax()", "weight_decay", "-0.5"});
}
