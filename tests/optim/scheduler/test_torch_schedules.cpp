// LambdaLR, MultiplicativeLR, ConstantLR, PolynomialLR, CosineAnnealingWarmRestarts (fractional
// epochs too), CyclicLR and OneCycleLR (with their momentum), SequentialLR and ChainedScheduler
// against torch 1.13's lrs (torch_schedules.hpp, written by scheduler_torch_reference.py), and
// every refusal of a value out of range.
#include "optim/scheduler/schedule.hpp"

#include "descent/optim/adam.hpp"
#include "descent/optim/scheduler/constant_lr.hpp"
#include "descent/optim/scheduler/cosine_annealing_lr.hpp"
#include "descent/optim/scheduler/cosine_annealing_warm_restarts.hpp"
#include "descent/optim/scheduler/cyclic_lr.hpp"
#include "descent/optim/scheduler/exponential_lr.hpp"
#include "descent/optim/scheduler/lambda_lr.hpp"
#include "descent/optim/scheduler/linear_lr.hpp"
#include "descent/optim/scheduler/multiplicative_lr.hpp"
#include "descent/optim/scheduler/one_cycle_lr.hpp"
#include "descent/optim/scheduler/polynomial_lr.hpp"
#include "descent/optim/scheduler/sequential_lr.hpp"
#include "descent/optim/scheduler/step_lr.hpp"
#include "optim/scheduler/torch_schedules.hpp"

using namespace descent;
using namespace descent::optim;
using namespace schedule_test;

namespace {

// Each group's momentum (or beta1) as the scheduler left it.
double momentum(Optimizer& opt, size_t g) {
    for (const auto& n : opt.param_groups()[g].options().fields().numbers)
        if (std::string(n.name) == "momentum" || std::string(n.name) == "beta1") return *n.value;
    return -1;
}

// From construction through every step of torch's case `name`: each group's lr (and momentum,
// when the case has it) equals torch's to relative 1e-12 (torch computes most of them by a
// recursion, these by the closed form: the last bits may differ).
test::Outcome follows_torch(LRScheduler& sched, Optimizer& opt, const std::string& name,
                            const std::function<void(int64_t)>& step = nullptr) {
    const auto& rows = torch_schedules().at(name);
    std::ostringstream s;
    bool ok = true;
    for (size_t e = 0; e < rows.size(); ++e) {
        if (e > 0) step ? step(static_cast<int64_t>(e)) : sched.step();
        std::vector<double> got = {opt.param_groups()[0].options().get_lr(),
                                   opt.param_groups()[1].options().get_lr()};
        if (rows[e].size() == 4) got.insert(got.end(), {momentum(opt, 0), momentum(opt, 1)});
        for (size_t i = 0; i < got.size(); ++i)
            if (!(got[i] == doctest::Approx(rows[e][i]).epsilon(1e-12))) {
                s << name << " step " << e << " value " << i << ": " << got[i] << " vs torch's "
                  << rows[e][i] << "; ";
                ok = false;
            }
    }
    return {ok, s.str()};
}

std::unique_ptr<Adam> adam_two_groups() {
    std::vector<OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<Tensor>{ones({2}).requires_grad_()});
    groups.emplace_back(std::vector<Tensor>{ones({3}).requires_grad_()},
                        std::make_unique<AdamOptions>(0.02));
    return std::make_unique<Adam>(groups, AdamOptions(0.1));
}

}  // namespace

TEST_CASE("LambdaLR and MultiplicativeLR follow torch's") {
    {
        auto opt = two_groups();
        LambdaLR sched(*opt, [](int64_t e) { return std::pow(0.95, static_cast<double>(e)); });
        CHECK_OUTCOME(follows_torch(sched, *opt, "LambdaLR"));
    }
    {
        auto opt = two_groups();
        LambdaLR sched(*opt, std::vector<LRLambda>{
                                 [](int64_t e) { return 1.0 / static_cast<double>(e + 1); },
                                 [](int64_t e) { return std::pow(0.9, static_cast<double>(e)); }});
        CHECK_OUTCOME(follows_torch(sched, *opt, "LambdaLR_per_group"));
    }
    auto opt = two_groups();
    MultiplicativeLR sched(*opt, [](int64_t e) { return 1 - 0.01 * static_cast<double>(e); });
    CHECK_OUTCOME(follows_torch(sched, *opt, "MultiplicativeLR"));
}

TEST_CASE("ConstantLR and PolynomialLR follow torch's") {
    {
        auto opt = two_groups();
        ConstantLR sched(*opt, 0.25, 4);
        CHECK_OUTCOME(follows_torch(sched, *opt, "ConstantLR"));
    }
    {
        auto opt = two_groups();
        PolynomialLR sched(*opt, 8, 2.0);
        CHECK_OUTCOME(follows_torch(sched, *opt, "PolynomialLR"));
    }
    auto opt = two_groups();
    PolynomialLR sched(*opt, 6, 0.5);
    CHECK_OUTCOME(follows_torch(sched, *opt, "PolynomialLR_sqrt"));
}

TEST_CASE("CosineAnnealingWarmRestarts follows torch's, by epochs and by fractional epochs") {
    {
        auto opt = two_groups();
        CosineAnnealingWarmRestarts sched(*opt, 4, 2, 0.001);
        CHECK_OUTCOME(follows_torch(sched, *opt, "WarmRestarts"));
        CHECK(sched.last_epoch() == 40);
        CHECK(sched.T_i() == 32);  // periods 4, 8, 16 done at 28
        CHECK(sched.T_cur() == 12);
    }
    {
        auto opt = two_groups();
        CosineAnnealingWarmRestarts sched(*opt, 3);
        CHECK_OUTCOME(follows_torch(sched, *opt, "WarmRestarts_T_mult_1"));
    }
    auto opt = two_groups();
    CosineAnnealingWarmRestarts sched(*opt, 2, 2, 0.001);
    CHECK_OUTCOME(follows_torch(sched, *opt, "WarmRestarts_fractional",
                                [&](int64_t i) { sched.step(0.25 * static_cast<double>(i)); }));
    CHECK(sched.last_epoch() == 7);  // ⌊7.5⌋
    CHECK(sched.T_cur() == 1.5);     // 7.5 - (2 + 4)
    sched.step();                    // the fraction stays: 8.5
    CHECK(sched.T_cur() == 2.5);
    CHECK_ERROR(ValueError, [&] { sched.step(-0.5); },
                {"CosineAnnealingWarmRestarts.step()", "non-negative epoch", "-0.5"});
    CHECK(sched.last_epoch() == 8);
}

TEST_CASE("CyclicLR follows torch's in each mode, momentum cycled the other way") {
    for (const auto& [name, options] : std::vector<std::pair<std::string, CyclicLROptions>>{
             {"CyclicLR_triangular", CyclicLROptions().step_size_up(3).step_size_down(5)},
             {"CyclicLR_triangular_momentum", CyclicLROptions().step_size_up(3).step_size_down(5)},
             {"CyclicLR_triangular2", CyclicLROptions().step_size_up(2).mode("triangular2")},
             {"CyclicLR_exp_range", CyclicLROptions()
                                        .step_size_up(4)
                                        .mode("exp_range")
                                        .gamma(0.9)
                                        .base_momentum(0.7)
                                        .max_momentum(0.95)}}) {
        CAPTURE(name);
        auto opt = two_groups();
        CyclicLR sched(*opt, 0.01, 0.1, options);
        CHECK_OUTCOME(follows_torch(sched, *opt, name));
    }
}

TEST_CASE(
    "OneCycleLR follows torch's: cosine with SGD's momentum, linear three-phase with Adam's "
    "beta1") {
    {
        auto opt = two_groups();
        OneCycleLR sched(*opt, 0.5, 20);
        CHECK_OUTCOME(follows_torch(sched, *opt, "OneCycleLR_momentum"));
        // torch refuses step total_steps + 1, and so does this, changing nothing
        CHECK_ERROR(ValueError, [&] { sched.step(); },
                    {"OneCycleLR.step()", "tried to step 22 times", "total steps is 20"});
        CHECK(sched.last_epoch() == 20);
    }
    auto opt = adam_two_groups();
    OneCycleLR sched(*opt, 0.3, 17,
                     OneCycleLROptions()
                         .pct_start(0.25)
                         .anneal_strategy("linear")
                         .three_phase(true)
                         .base_momentum(0.8)
                         .max_momentum(0.9)
                         .div_factor(10)
                         .final_div_factor(100));
    CHECK_OUTCOME(follows_torch(sched, *opt, "OneCycleLR_linear_three_phase_adam"));
    auto epochs = two_groups();
    OneCycleLR by_epochs(*epochs, 0.5, 4, 5, OneCycleLROptions());  // 4 epochs of 5 steps
    CHECK_OUTCOME(follows_torch(by_epochs, *epochs, "OneCycleLR"));
}

TEST_CASE("SequentialLR and ChainedScheduler follow torch's") {
    {
        auto opt = two_groups();
        SequentialLR sched(*opt, {schedule<ConstantLR>(0.1, 2), schedule<ExponentialLR>(0.9)}, {2});
        CHECK_OUTCOME(follows_torch(sched, *opt, "SequentialLR"));
        CHECK(std::string(opt->scheduler()) == "SequentialLR");
    }
    {
        auto opt = two_groups();
        SequentialLR sched(*opt,
                           {schedule<LinearLR>(0.25, 1.0, 4), schedule<ConstantLR>(0.5, 2),
                            schedule<CosineAnnealingLR>(5, 0.001)},
                           {4, 7});
        CHECK_OUTCOME(follows_torch(sched, *opt, "SequentialLR_three"));
    }
    {
        auto opt = two_groups();
        ChainedScheduler sched(*opt, {schedule<ConstantLR>(0.1, 3), schedule<ExponentialLR>(0.9)});
        CHECK_OUTCOME(follows_torch(sched, *opt, "ChainedScheduler"));
    }
    auto opt = two_groups();
    ChainedScheduler sched(*opt, {schedule<LinearLR>(0.5, 1.0, 4), schedule<StepLR>(2, 0.5)});
    CHECK_OUTCOME(follows_torch(sched, *opt, "ChainedScheduler_step"));
    // the composite's state dict holds its parts' arguments under torch's _schedulers
    bool found = false;
    for (const auto& [key, t] : sched.state_dict())
        found = found || key == "_schedulers.1.step_size";
    CHECK(found);
}

TEST_CASE("The new schedulers refuse arguments out of range, naming the call and the value") {
    auto opt = two_groups();
    CHECK_ERROR(ValueError,
                [&] { LambdaLR(*opt, std::vector<LRLambda>{[](int64_t) { return 1.0; }}); },
                {"LambdaLR()", "lr_lambdas", "one per parameter group (2)", "got 1"});
    CHECK_ERROR(ValueError, [&] { MultiplicativeLR(*opt, LRLambda()); },
                {"MultiplicativeLR()", "lr_lambda"});
    CHECK_ERROR(ValueError, [&] { ConstantLR(*opt, 1.5); }, {"ConstantLR()", "factor", "1.5"});
    CHECK_ERROR(ValueError, [&] { ConstantLR(*opt, 0.5, -1); },
                {"ConstantLR()", "total_iters", "-1"});
    CHECK_ERROR(ValueError, [&] { PolynomialLR(*opt, 0); }, {"PolynomialLR()", "total_iters", "0"});
    CHECK_ERROR(ValueError, [&] { PolynomialLR(*opt, 5, -1); }, {"PolynomialLR()", "power", "-1"});
    CHECK_ERROR(ValueError, [&] { CosineAnnealingWarmRestarts(*opt, 0); },
                {"CosineAnnealingWarmRestarts()", "T_0", "0"});
    CHECK_ERROR(ValueError, [&] { CosineAnnealingWarmRestarts(*opt, 3, 0); },
                {"CosineAnnealingWarmRestarts()", "T_mult", "0"});
    CHECK_ERROR(ValueError, [&] { CosineAnnealingWarmRestarts(*opt, 3, 1, -0.1); },
                {"CosineAnnealingWarmRestarts()", "eta_min", "-0.1"});
    CHECK_ERROR(ValueError, [&] { OneCycleLR(*opt, 0.1, 0); },
                {"OneCycleLR()", "total_steps", "0"});
    CHECK_ERROR(ValueError, [&] { OneCycleLR(*opt, 0.1, -5); },
                {"OneCycleLR()", "total_steps", "-5"});
    CHECK_ERROR(ValueError, [&] { OneCycleLR(*opt, -0.1, 10); },
                {"OneCycleLR()", "max_lr", "-0.1"});
    CHECK_ERROR(ValueError, [&] { OneCycleLR(*opt, 0.1, 0, 5, {}); },
                {"OneCycleLR()", "epochs", "0"});
    CHECK_ERROR(ValueError, [&] { OneCycleLR(*opt, 0.1, 10, OneCycleLROptions().pct_start(1.5)); },
                {"OneCycleLR()", "pct_start", "1.5"});
    CHECK_ERROR(ValueError,
                [&] { OneCycleLR(*opt, 0.1, 10, OneCycleLROptions().anneal_strategy("cosine")); },
                {"OneCycleLR()", "anneal_strategy", "\"cosine\""});
    CHECK_ERROR(ValueError, [&] { OneCycleLR(*opt, 0.1, 10, OneCycleLROptions().div_factor(0)); },
                {"OneCycleLR()", "div_factor", "0"});
    CHECK_ERROR(ValueError, [&] { CyclicLR(*opt, 0.01, 0.1, CyclicLROptions().mode("triangle")); },
                {"CyclicLR()", "mode", "\"triangle\""});
    CHECK_ERROR(ValueError, [&] { CyclicLR(*opt, -0.01, 0.1); },
                {"CyclicLR()", "base_lr", "-0.01"});
    CHECK_ERROR(ValueError, [&] { CyclicLR(*opt, 0.01, 0.1, CyclicLROptions().step_size_up(0)); },
                {"CyclicLR()", "step_size_up", "0"});
    CHECK_ERROR(ValueError,
                [&] { CyclicLR(*opt, 0.01, 0.1, CyclicLROptions().mode("exp_range").gamma(-1)); },
                {"CyclicLR()", "gamma", "-1"});
    // torch's CyclicLR cycles "momentum" only: Adam's betas are refused, as there
    auto adam = adam_two_groups();
    CHECK_ERROR(ValueError, [&] { CyclicLR(*adam, 0.01, 0.1); },
                {"CyclicLR()", "Adam", "no momentum", "cycle_momentum(false)"});
    CHECK_NOTHROW(CyclicLR(*adam, 0.01, 0.1, CyclicLROptions().cycle_momentum(false)));
    CHECK_ERROR(ValueError,
                [&] {
                    SequentialLR(*opt, {schedule<ConstantLR>(), schedule<ExponentialLR>(0.9)}, {});
                },
                {"SequentialLR()", "milestones", "got 0"});
    CHECK_ERROR(ValueError,
                [&] {
                    SequentialLR(*opt,
                                 {schedule<ConstantLR>(), schedule<ConstantLR>(),
                                  schedule<ExponentialLR>(0.9)},
                                 {5, 3});
                },
                {"SequentialLR()", "milestones", "increasing", "5 then 3"});
    CHECK_ERROR(ValueError,
                [&] {
                    SequentialLR(*opt, {schedule<ConstantLR>(), schedule<ExponentialLR>(0.9)}, {0});
                },
                {"SequentialLR()", "milestone", "0"});
    CHECK_ERROR(ValueError, [&] { ChainedScheduler(*opt, {schedule<ConstantLR>(2.0)}); },
                {"ConstantLR()", "factor", "2"});
    CHECK(opt->scheduler() == nullptr);  // nothing refused kept the optimizer
    CHECK(opt->param_groups()[1].options().get_lr() == 0.02);
}
