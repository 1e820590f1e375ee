// NAdam: torch.optim.NAdam 1.13's float32 trajectories bit for bit (torch_trajectories.hpp), its
// state (mu_product a float32 scalar), convergence, defaults and refusals.
#include "optim/problem.hpp"

#include "descent/optim/nadam.hpp"

using namespace descent;
using namespace optim_test;
using optim::NAdam;
using optim::NAdamOptions;

TEST_CASE("NAdam follows torch.optim.NAdam bit for bit") {
    {
        std::vector<Tensor> params = make_params();
        NAdam opt(params, NAdamOptions(0.1));
        CHECK_OUTCOME(equals_torch(run(opt, params, 23), "NAdam_default"));
    }
    std::vector<Tensor> params = make_params();
    NAdam opt(
        params,
        NAdamOptions(0.05).betas({0.8, 0.99}).eps(1e-3).weight_decay(0.1).momentum_decay(0.01));
    CHECK_OUTCOME(equals_torch(run(opt, params, 23), "NAdam_decay"));
}

TEST_CASE("NAdam keeps exp_avg, exp_avg_sq and mu_product, torch's state keys") {
    std::vector<Tensor> params = make_params();
    NAdam opt(params, NAdamOptions(0.1));
    CHECK(opt.state(0) == nullptr);
    run(opt, params, 2);
    const optim::NAdamParamState* s = opt.state(0);
    REQUIRE(s != nullptr);
    CHECK(s->step == 2);
    CHECK(s->exp_avg.shape() == Shape{2});
    CHECK(s->mu_product.shape() == Shape{});
    CHECK(s->mu_product.dtype() == kFloat32);
    // Π μ_t over two steps, in float as torch multiplies it
    const double mu1 = 0.9 * (1 - 0.5 * std::pow(0.96, 1 * 4e-3));
    const double mu2 = 0.9 * (1 - 0.5 * std::pow(0.96, 2 * 4e-3));
    CHECK(s->mu_product.item() ==
          static_cast<float>(1.0f * static_cast<float>(mu1)) * static_cast<float>(mu2));
    std::vector<std::string> keys;
    for (const auto& [key, t] : opt.state_dict())
        if (key.rfind("state.0.", 0) == 0) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq",
                                           "state.0.mu_product"});
}

TEST_CASE("NAdam converges on a quadratic") {
    Tensor x = zeros({3}).requires_grad_();
    NAdam opt({x}, NAdamOptions(0.05));
    minimise(
        opt, [&] { return quadratic(x); }, 2000);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-3);
}

TEST_CASE("NAdamOptions defaults are PyTorch's") {
    const NAdamOptions o;
    CHECK(o.lr() == 2e-3);
    CHECK(std::get<0>(o.betas()) == 0.9);
    CHECK(std::get<1>(o.betas()) == 0.999);
    CHECK(o.eps() == 1e-8);
    CHECK(o.weight_decay() == 0);
    CHECK(o.momentum_decay() == 4e-3);
}

TEST_CASE("NAdam refuses invalid hyper-parameters") {
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { NAdam(params, NAdamOptions(-0.1)); }, {"NAdam()", "lr", "-0.1"});
    CHECK_ERROR(ValueError,
                [&] {
                    NAdam(params, NAdamOptions().betas({1.0, 0.9}));
                },
                {"NAdam()", "beta1", "1", "[0, 1)"});
    CHECK_ERROR(ValueError,
                [&] {
                    NAdam(params, NAdamOptions().betas({0.9, -0.5}));
                },
                {"NAdam()", "beta2", "-0.5"});
    CHECK_ERROR(ValueError, [&] { NAdam(params, NAdamOptions().eps(-1)); },
                {"NAdam()", "eps", "-1"});
    CHECK_ERROR(ValueError, [&] { NAdam(params, NAdamOptions().weight_decay(-2)); },
                {"NAdam()", "weight_decay", "-2"});
    CHECK_ERROR(ValueError, [&] { NAdam(params, NAdamOptions().momentum_decay(-0.004)); },
                {"NAdam()", "momentum_decay", "-0.004"});
}
