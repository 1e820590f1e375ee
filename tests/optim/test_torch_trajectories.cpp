// The existing optimizers against torch.optim 1.13's float32 trajectories bit for bit
// (torch_trajectories.hpp): Adam with AMSGrad and maximize, AdamW, SGD with dampening, Nesterov
// and maximize, RMSprop and Adagrad with maximize. (The new optimizers: their own test files.)
#include "optim/problem.hpp"

#include <cmath>
#include <functional>

#include "descent/optim/adagrad.hpp"
#include "descent/optim/adam.hpp"
#include "descent/optim/adamw.hpp"
#include "descent/optim/rmsprop.hpp"
#include "descent/optim/sgd.hpp"

using namespace descent;
using namespace descent::optim;
using namespace optim_test;

TEST_CASE("Adam, AdamW, SGD, RMSprop and Adagrad follow torch.optim bit for bit") {
    using Make = std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>;
    const std::vector<std::pair<const char*, Make>> cases = {
        {"Adam_default", [](auto p) { return std::make_unique<Adam>(p, AdamOptions(0.1)); }},
        {"Adam_amsgrad",
         [](auto p) {
             return std::make_unique<Adam>(
                 p, AdamOptions(0.05).betas({0.5, 0.9}).eps(1e-6).weight_decay(0.05).amsgrad(true));
         }},
        {"Adam_amsgrad_maximize",
         [](auto p) {
             return std::make_unique<Adam>(p, AdamOptions(0.05)
                                                  .betas({0.8, 0.99})
                                                  .eps(1e-3)
                                                  .weight_decay(0.1)
                                                  .amsgrad(true)
                                                  .maximize(true));
         }},
        {"AdamW_maximize",
         [](auto p) {
             return std::make_unique<AdamW>(p, AdamWOptions(0.05).weight_decay(0.1).maximize(true));
         }},
        {"SGD_dampening",
         [](auto p) {
             return std::make_unique<SGD>(
                 p, SGDOptions(0.05).momentum(0.9).dampening(0.3).weight_decay(0.05));
         }},
        {"SGD_nesterov",
         [](auto p) {
             return std::make_unique<SGD>(
                 p, SGDOptions(0.05).momentum(0.8).nesterov(true).weight_decay(0.1));
         }},
        {"SGD_maximize",
         [](auto p) {
             return std::make_unique<SGD>(
                 p, SGDOptions(0.002).momentum(0.5).dampening(0.1).maximize(true));
         }},
        {"RMSprop_maximize",
         [](auto p) {
             return std::make_unique<RMSprop>(
                 p, RMSpropOptions(0.01).momentum(0.5).centered(true).weight_decay(0.1).maximize(
                        true));
         }},
        {"Adagrad_maximize",
         [](auto p) {
             return std::make_unique<Adagrad>(
                 p, AdagradOptions(0.05).lr_decay(0.01).weight_decay(0.1).maximize(true));
         }},
    };
    for (const auto& [name, make] : cases) {
        CAPTURE(name);
        std::vector<Tensor> params = make_params();
        auto opt = make(params);
        CHECK_OUTCOME(equals_torch(run(*opt, params, 23), name));
    }
}

TEST_CASE("maximize ascends: one step moves against the descent step by the same amount") {
    std::vector<Tensor> down = make_params(), up = make_params();
    SGD descend(down, SGDOptions(0.1));
    SGD ascend(up, SGDOptions(0.1).maximize(true));
    run(descend, down, 1);
    run(ascend, up, 1);
    const std::vector<double> d = flat_values(down), a = flat_values(up);
    for (size_t i = 0; i < d.size(); ++i) CHECK(a[i] - x0[i] == doctest::Approx(-(d[i] - x0[i])));
    CHECK_FALSE(SGDOptions(0.1).maximize());
    CHECK_FALSE(AdamOptions().maximize());
    // the flag is a group option: saved under torch's name
    bool saved = false;
    for (const auto& [key, t] : ascend.state_dict())
        if (key == "param_groups.0.maximize") saved = t.item() == 1.0f;
    CHECK(saved);
}

TEST_CASE("equals_torch tells apart a trajectory one float step off, or another optimizer's") {
    Trajectory t = torch_trajectories().at("NAdam_default");
    CHECK(equals_torch(t, "NAdam_default").ok);
    t[7][1] = std::nextafter(static_cast<float>(t[7][1]), 1.0f);
    const test::Outcome off = equals_torch(t, "NAdam_default");
    CHECK_FALSE(off.ok);
    CHECK(off.message.find("step 8 scalar 1") != std::string::npos);
    CHECK_FALSE(equals_torch(torch_trajectories().at("RAdam_default"), "NAdam_default").ok);
}
