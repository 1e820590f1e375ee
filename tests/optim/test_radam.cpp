// RAdam: torch.optim.RAdam 1.13's float32 trajectories bit for bit (through the unrectified first
// steps and the rectified ones after), its state, convergence, defaults and refusals.
#include "optim/problem.hpp"

#include "descent/optim/radam.hpp"

using namespace descent;
using namespace optim_test;
using optim::RAdam;
using optim::RAdamOptions;

TEST_CASE("RAdam follows torch.optim.RAdam bit for bit") {
    {
        std::vector<Tensor> params = make_params();
        RAdam opt(params, RAdamOptions(0.1));
        CHECK_OUTCOME(equals_torch(run(opt, params, 23), "RAdam_default"));
    }
    std::vector<Tensor> params = make_params();
    RAdam opt(params, RAdamOptions(0.05).betas({0.8, 0.99}).eps(1e-3).weight_decay(0.1));
    CHECK_OUTCOME(equals_torch(run(opt, params, 23), "RAdam_decay"));
}

TEST_CASE("RAdam keeps exp_avg and exp_avg_sq") {
    std::vector<Tensor> params = make_params();
    RAdam opt(params, RAdamOptions(0.1));
    run(opt, params, 3);
    REQUIRE(opt.state(1) != nullptr);
    CHECK(opt.state(1)->step == 3);
    CHECK_FALSE(opt.state(1)->max_exp_avg_sq.defined());
    std::vector<std::string> keys;
    for (const auto& [key, t] : opt.state_dict())
        if (key.rfind("state.1.", 0) == 0) keys.push_back(key);
    CHECK(keys ==
          std::vector<std::string>{"state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq"});
}

TEST_CASE("RAdam converges on a quadratic") {
    Tensor x = zeros({3}).requires_grad_();
    RAdam opt({x}, RAdamOptions(0.05));
    minimise(
        opt, [&] { return quadratic(x); }, 2000);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-3);
}

TEST_CASE("RAdamOptions defaults are PyTorch's") {
    const RAdamOptions o;
    CHECK(o.lr() == 1e-3);
    CHECK(std::get<0>(o.betas()) == 0.9);
    CHECK(std::get<1>(o.betas()) == 0.999);
    CHECK(o.eps() == 1e-8);
    CHECK(o.weight_decay() == 0);
}

TEST_CASE("RAdam refuses invalid hyper-parameters") {
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { RAdam(params, RAdamOptions(-1)); }, {"RAdam()", "lr", "-1"});
    CHECK_ERROR(ValueError,
                [&] {
                    RAdam(params, RAdamOptions().betas({-0.1, 0.9}));
                },
                {"RAdam()", "beta1", "-0.1", "[0, 1)"});
    CHECK_ERROR(ValueError,
                [&] {
                    RAdam(params, RAdamOptions().betas({0.9, 1.5}));
                },
                {"RAdam()", "beta2", "1.5"});
    CHECK_ERROR(ValueError, [&] { RAdam(params, RAdamOptions().eps(-1e-8)); },
                {"RAdam()", "eps", "-1e-08"});
    CHECK_ERROR(ValueError, [&] { RAdam(params, RAdamOptions().weight_decay(-1)); },
                {"RAdam()", "weight_decay", "-1"});
}
