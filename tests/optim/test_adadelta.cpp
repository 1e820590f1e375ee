// Adadelta: torch.optim.Adadelta 1.13's float32 trajectories bit for bit (with weight decay and
// maximize), its state, convergence, defaults and refusals (rho in [0, 1]).
#include "optim/problem.hpp"

#include "descent/optim/adadelta.hpp"

using namespace descent;
using namespace optim_test;
using optim::Adadelta;
using optim::AdadeltaOptions;

TEST_CASE("Adadelta follows torch.optim.Adadelta bit for bit") {
    {
        std::vector<Tensor> params = make_params();
        Adadelta opt(params, AdadeltaOptions());
        CHECK_OUTCOME(equals_torch(run(opt, params, 23), "Adadelta_default"));
    }
    std::vector<Tensor> params = make_params();
    Adadelta opt(params, AdadeltaOptions(0.5).rho(0.8).eps(1e-3).weight_decay(0.1).maximize(true));
    CHECK_OUTCOME(equals_torch(run(opt, params, 23), "Adadelta_decay_maximize"));
}

TEST_CASE("Adadelta keeps square_avg and acc_delta") {
    std::vector<Tensor> params = make_params();
    Adadelta opt(params);
    run(opt, params, 2);
    CHECK(opt.state(0)->step == 2);
    std::vector<std::string> keys;
    for (const auto& [key, t] : opt.state_dict())
        if (key.rfind("state.0.", 0) == 0) keys.push_back(key);
    CHECK(keys ==
          std::vector<std::string>{"state.0.step", "state.0.square_avg", "state.0.acc_delta"});
}

TEST_CASE("Adadelta converges on a quadratic") {
    Tensor x = zeros({3}).requires_grad_();
    Adadelta opt({x}, AdadeltaOptions(1.0).rho(0.9));
    minimise(
        opt, [&] { return quadratic(x); }, 3000);
    CHECK_VALUES(x, {3}, {1, -2, 3}, 1e-2);
}

TEST_CASE("AdadeltaOptions defaults are PyTorch's") {
    const AdadeltaOptions o;
    CHECK(o.lr() == 1.0);
    CHECK(o.rho() == 0.9);
    CHECK(o.eps() == 1e-6);
    CHECK(o.weight_decay() == 0);
    CHECK_FALSE(o.maximize());
}

TEST_CASE("Adadelta refuses invalid hyper-parameters") {
    std::vector<Tensor> params = make_params();
    CHECK_ERROR(ValueError, [&] { Adadelta(params, AdadeltaOptions(-1)); },
                {"Adadelta()", "lr", "-1"});
    CHECK_ERROR(ValueError, [&] { Adadelta(params, AdadeltaOptions().rho(1.5)); },
                {"Adadelta()", "rho", "1.5", "[0, 1]"});
    CHECK_ERROR(ValueError, [&] { Adadelta(params, AdadeltaOptions().rho(-0.1)); },
                {"Adadelta()", "rho", "-0.1"});
    CHECK_ERROR(ValueError, [&] { Adadelta(params, AdadeltaOptions().eps(-1)); },
                {"Adadelta()", "eps", "-1"});
    CHECK_ERROR(ValueError, [&] { Adadelta(params, AdadeltaOptions().weight_decay(-1)); },
                {"Adadelta()", "weight_decay", "-1"});
    // rho = 1 is allowed, as torch: the averages never move
    CHECK_NOTHROW(Adadelta(params, AdadeltaOptions().rho(1.0)));
}
