// The scheduler base: epoch 0 applied at construction, base_lrs, a group added afterwards, and
// every LR scheduler's state dict (PyTorch's keys, exact resumption, refusals that change nothing).
#include "optim/scheduler/schedule.hpp"

#include "descent/core/warning.hpp"
#include "descent/optim/scheduler/constant_lr.hpp"
#include "descent/optim/scheduler/cosine_annealing_warm_restarts.hpp"
#include "descent/optim/scheduler/cyclic_lr.hpp"
#include "descent/optim/scheduler/exponential_lr.hpp"
#include "descent/optim/scheduler/lambda_lr.hpp"
#include "descent/optim/scheduler/multiplicative_lr.hpp"
#include "descent/optim/scheduler/one_cycle_lr.hpp"
#include "descent/optim/scheduler/polynomial_lr.hpp"
#include "descent/optim/scheduler/reduce_lr_on_plateau.hpp"
#include "descent/optim/scheduler/sequential_lr.hpp"
#include "descent/optim/scheduler/step_lr.hpp"

using namespace descent;
using namespace schedule_test;

TEST_CASE("A scheduler applies epoch 0 when built and scales the groups' initial lrs") {
    auto opt = two_groups();
    opt->param_groups()[0].options().set_lr(0.4);
    optim::ExponentialLR sched(*opt, 0.5);
    CHECK(sched.last_epoch() == 0);
    CHECK(sched.base_lrs() == std::vector<double>{0.4, 0.02});
    CHECK(sched.get_last_lr() == std::vector<double>{0.4, 0.02});
    sched.step();
    CHECK(sched.last_epoch() == 1);
    CHECK(opt->param_groups()[0].options().get_lr() == 0.2);
    CHECK(opt->param_groups()[1].options().get_lr() == 0.01);
}

TEST_CASE("A scheduler refuses to step an optimizer whose groups changed") {
    auto opt = two_groups();
    optim::ExponentialLR sched(*opt, 0.5);
    opt->add_param_group(optim::OptimizerParamGroup({ones({1}).requires_grad_()}));
    CHECK_ERROR(StateError, [&] { sched.step(); },
                {"LRScheduler::step()", "3 parameter groups", "had 2"});
}

TEST_CASE("One scheduler per optimizer: a second is refused until the first is gone") {
    auto opt = two_groups();
    {
        optim::ExponentialLR first(*opt, 0.5);
        CHECK(std::string(opt->scheduler()) == "ExponentialLR");
        CHECK_ERROR(StateError, [&] { optim::StepLR second(*opt, 2); },
                    {"StepLR()", "already has a scheduler (ExponentialLR)", "cannot be chained"});
        CHECK_ERROR(StateError, [&] { optim::ReduceLROnPlateau plateau(*opt); },
                    {"ReduceLROnPlateau()", "ExponentialLR"});
        CHECK(opt->param_groups()[1].options().get_lr() == 0.02);  // the refused one wrote nothing
        // A scheduler refused for its arguments does not take the optimizer either.
        CHECK_ERROR(ValueError, [&] { optim::StepLR bad(*opt, 0); }, {"StepLR()", "step_size"});
    }
    CHECK(opt->scheduler() == nullptr);
    optim::ReduceLROnPlateau plateau(*opt);
    CHECK_ERROR(StateError, [&] { optim::ExponentialLR again(*opt, 0.5); }, {"ReduceLROnPlateau"});
}

namespace {

using Make = std::function<std::unique_ptr<optim::LRScheduler>(optim::Optimizer&)>;

// A scheduler of each kind with arguments that make every step change the lr.
const std::vector<std::pair<const char*, Make>> kinds = {
    {"StepLR", [](optim::Optimizer& o) { return std::make_unique<optim::StepLR>(o, 2, 0.7); }},
    {"MultiStepLR",
     [](optim::Optimizer& o) {
         return std::make_unique<optim::MultiStepLR>(o, std::vector<int64_t>{5, 1, 3, 3}, 0.6);
     }},
    {"ExponentialLR",
     [](optim::Optimizer& o) { return std::make_unique<optim::ExponentialLR>(o, 0.9); }},
    {"CosineAnnealingLR",
     [](optim::Optimizer& o) { return std::make_unique<optim::CosineAnnealingLR>(o, 7, 1e-3); }},
    {"LinearLR",
     [](optim::Optimizer& o) { return std::make_unique<optim::LinearLR>(o, 0.25, 0.9, 6); }},
    {"LambdaLR",
     [](optim::Optimizer& o) {
         return std::make_unique<optim::LambdaLR>(o, [](int64_t e) { return 1.0 / (e + 1); });
     }},
    {"MultiplicativeLR",
     [](optim::Optimizer& o) {
         return std::make_unique<optim::MultiplicativeLR>(
             o, [](int64_t e) { return 0.9 + e / 1000.0; });
     }},
    {"ConstantLR",
     [](optim::Optimizer& o) { return std::make_unique<optim::ConstantLR>(o, 0.3, 6); }},
    {"PolynomialLR",
     [](optim::Optimizer& o) { return std::make_unique<optim::PolynomialLR>(o, 15, 1.5); }},
    {"CosineAnnealingWarmRestarts",
     [](optim::Optimizer& o) {
         return std::make_unique<optim::CosineAnnealingWarmRestarts>(o, 3, 2, 1e-3);
     }},
    {"OneCycleLR",
     [](optim::Optimizer& o) {
         return std::make_unique<optim::OneCycleLR>(o, 0.5, 20,
                                                    optim::OneCycleLROptions().three_phase(true));
     }},
    {"CyclicLR",
     [](optim::Optimizer& o) {
         return std::make_unique<optim::CyclicLR>(
             o, 0.01, 0.1, optim::CyclicLROptions().step_size_up(3).mode("exp_range").gamma(0.95));
     }},
    {"SequentialLR",
     [](optim::Optimizer& o) {
         return std::make_unique<optim::SequentialLR>(
             o,
             std::vector<optim::SchedulerFactory>{optim::schedule<optim::ConstantLR>(0.1, 2),
                                                  optim::schedule<optim::ExponentialLR>(0.9)},
             std::vector<int64_t>{3});
     }},
    {"ChainedScheduler",
     [](optim::Optimizer& o) {
         return std::make_unique<optim::ChainedScheduler>(
             o, std::vector<optim::SchedulerFactory>{optim::schedule<optim::ConstantLR>(0.1, 6),
                                                     optim::schedule<optim::ExponentialLR>(0.9)});
     }},
};

// The same kind with other arguments: what load_state_dict must overwrite.
const std::vector<Make> other_arguments = {
    [](optim::Optimizer& o) { return std::make_unique<optim::StepLR>(o, 5, 0.1); },
    [](optim::Optimizer& o) {
        return std::make_unique<optim::MultiStepLR>(o, std::vector<int64_t>{2}, 0.1);
    },
    [](optim::Optimizer& o) { return std::make_unique<optim::ExponentialLR>(o, 0.5); },
    [](optim::Optimizer& o) { return std::make_unique<optim::CosineAnnealingLR>(o, 3); },
    [](optim::Optimizer& o) { return std::make_unique<optim::LinearLR>(o); },
    // a function is code, not state: the same one
    [](optim::Optimizer& o) {
        return std::make_unique<optim::LambdaLR>(o, [](int64_t e) { return 1.0 / (e + 1); });
    },
    [](optim::Optimizer& o) {
        return std::make_unique<optim::MultiplicativeLR>(
            o, [](int64_t e) { return 0.9 + e / 1000.0; });
    },
    [](optim::Optimizer& o) { return std::make_unique<optim::ConstantLR>(o); },
    [](optim::Optimizer& o) { return std::make_unique<optim::PolynomialLR>(o); },
    [](optim::Optimizer& o) { return std::make_unique<optim::CosineAnnealingWarmRestarts>(o, 7); },
    [](optim::Optimizer& o) {
        return std::make_unique<optim::OneCycleLR>(
            o, 0.9, 40, optim::OneCycleLROptions().anneal_strategy("linear").max_momentum(0.99));
    },
    [](optim::Optimizer& o) { return std::make_unique<optim::CyclicLR>(o, 0.001, 0.2); },
    [](optim::Optimizer& o) {
        return std::make_unique<optim::SequentialLR>(
            o,
            std::vector<optim::SchedulerFactory>{optim::schedule<optim::ConstantLR>(0.5, 1),
                                                 optim::schedule<optim::ExponentialLR>(0.5)},
            std::vector<int64_t>{8});
    },
    [](optim::Optimizer& o) {
        return std::make_unique<optim::ChainedScheduler>(
            o, std::vector<optim::SchedulerFactory>{optim::schedule<optim::ConstantLR>(0.5, 2),
                                                    optim::schedule<optim::ExponentialLR>(0.7)});
    },
};

}  // namespace

TEST_CASE("Every LR scheduler's state dict resumes its schedule exactly, over other arguments") {
    for (size_t k = 0; k < kinds.size(); ++k) {
        CAPTURE(kinds[k].first);
        auto opt = two_groups();
        auto sched = kinds[k].second(*opt);
        for (int e = 0; e < 4; ++e) sched->step();
        const NamedTensors saved = sched->state_dict();
        const NamedTensors opt_saved = opt->state_dict();

        auto fresh_opt = two_groups();
        fresh_opt->param_groups()[0].options().set_lr(3.0);  // other base lrs, overwritten too
        auto fresh = other_arguments[k](*fresh_opt);
        fresh_opt->load_state_dict(opt_saved);
        fresh->load_state_dict(saved);
        CHECK(fresh->last_epoch() == 4);
        CHECK(fresh->base_lrs() == sched->base_lrs());
        CHECK(fresh->get_last_lr() == sched->get_last_lr());
        CHECK_OUTCOME(test::same_state(fresh->state_dict(), saved));
        for (int e = 5; e <= 12; ++e) {
            sched->step();
            fresh->step();
            CAPTURE(e);
            CHECK(fresh->get_last_lr() == sched->get_last_lr());  // exact, not approximate
            CHECK(fresh_opt->param_groups()[1].options().get_lr() ==
                  opt->param_groups()[1].options().get_lr());
        }
    }
}

TEST_CASE("An LR scheduler's state dict has PyTorch's keys, doubles exact in (hi, mid, lo)") {
    auto opt = two_groups();
    optim::StepLR sched(*opt, 2, 0.7);
    for (int e = 0; e < 5; ++e) sched.step();
    const NamedTensors dict = sched.state_dict();
    std::vector<std::string> keys;
    for (const auto& [key, t] : dict) keys.push_back(key);
    CHECK(keys ==
          std::vector<std::string>{"step_size", "gamma", "base_lrs", "last_epoch", "_last_lr"});
    auto at = [&](const char* key) {
        for (const auto& [k, t] : dict)
            if (k == key) return t;
        return Tensor();
    };
    CHECK(at("step_size").shape() == Shape{});
    CHECK(at("step_size").item() == 2.0f);
    CHECK(at("last_epoch").item() == 5.0f);
    REQUIRE(at("gamma").shape() == Shape{3});
    const float* g = at("gamma").data();
    CHECK(double(g[0]) + double(g[1]) + double(g[2]) == 0.7);
    REQUIRE(at("_last_lr").shape() == Shape{2, 3});
    const float* lr = at("_last_lr").data() + 3;  // group 1: 0.02 · 0.7², which no float holds
    CHECK(double(lr[0]) + double(lr[1]) + double(lr[2]) == sched.get_last_lr()[1]);
    CHECK(double(lr[0]) != sched.get_last_lr()[1]);
}

TEST_CASE(
    "LRScheduler::load_state_dict refuses what does not fit, naming the key, and changes "
    "nothing") {
    auto source_opt = two_groups();
    optim::StepLR source(*source_opt, 2, 0.7);
    for (int e = 0; e < 3; ++e) source.step();
    const NamedTensors good = source.state_dict();

    auto opt = two_groups();
    optim::StepLR sched(*opt, 4, 0.5);
    sched.step();
    const NamedTensors before = sched.state_dict();
    auto refused = [&](auto error_check) {
        error_check();
        CHECK_OUTCOME(test::same_state(sched.state_dict(), before));
        CHECK(sched.last_epoch() == 1);
    };
    using test::with_entry;
    const auto triple = [](float hi) { return tensor({hi, 0.0f, 0.0f}); };

    refused([&] {
        CHECK_ERROR(StateError, [&] { sched.load_state_dict(with_entry(good, "gamma", Tensor())); },
                    {"StepLR.load_state_dict()", "missing keys: gamma"});
    });
    refused([&] {
        CHECK_ERROR(StateError, [&] { sched.load_state_dict(with_entry(good, "T_max", ones({}))); },
                    {"unexpected keys: T_max"});
    });
    refused([&] {
        CHECK_ERROR(
            StateError,
            [&] { sched.load_state_dict(with_entry(good, "last_epoch", scalar_tensor(1.5f))); },
            {"last_epoch is 1.5, not an integer"});
    });
    refused([&] {
        CHECK_ERROR(
            StateError,
            [&] { sched.load_state_dict(with_entry(good, "last_epoch", scalar_tensor(-1))); },
            {"last_epoch is -1"});
    });
    refused([&] {
        CHECK_ERROR(StateError,
                    [&] { sched.load_state_dict(with_entry(good, "gamma", triple(NAN))); },
                    {"gamma is NaN"});
    });
    refused([&] {
        CHECK_ERROR(ValueError,
                    [&] { sched.load_state_dict(with_entry(good, "gamma", triple(-1))); },
                    {"StepLR.load_state_dict(): gamma must be finite and > 0, got -1"});
    });
    refused([&] {
        CHECK_ERROR(ValueError,
                    [&] { sched.load_state_dict(with_entry(good, "step_size", scalar_tensor(0))); },
                    {"step_size must be > 0, got 0"});
    });
    // A corrupted hyper-parameter that is in range: _last_lr no longer follows from it.
    refused([&] {
        CHECK_ERROR(ValueError,
                    [&] { sched.load_state_dict(with_entry(good, "gamma", triple(0.5f))); },
                    {"_last_lr[0] is 0.07", "the schedule gives 0.05 at last_epoch 3"});
    });
    refused([&] {
        CHECK_ERROR(ValueError,
                    [&] {
                        sched.load_state_dict(with_entry(
                            good, "base_lrs", tensor({-0.1f, 0, 0, 0.02f, 0, 0}, {2, 3})));
                    },
                    {"base_lrs[0] must be finite and >= 0, got -0.1"});
    });
    // A state dict of a scheduler over another number of groups, or of another kind.
    refused([&] {
        CHECK_ERROR(StateError,
                    [&] {
                        sched.load_state_dict(with_entry(good, "base_lrs", zeros({1, 3})));
                    },
                    {"base_lrs has shape (1, 3), expected (2, 3)"});
    });
    refused([&] {
        auto other_opt = two_groups();
        optim::ExponentialLR exp(*other_opt, 0.9);
        CHECK_ERROR(StateError, [&] { sched.load_state_dict(exp.state_dict()); },
                    {"missing keys: step_size"});
    });
    sched.load_state_dict(good);
    CHECK(sched.last_epoch() == 3);
    sched.step();
    CHECK(opt->param_groups()[0].options().get_lr() == doctest::Approx(0.1 * 0.7 * 0.7));
}

TEST_CASE("MultiStepLR's milestones: a list of integers in order, refused otherwise") {
    auto opt = two_groups();
    optim::MultiStepLR sched(*opt, {4, 2}, 0.5);
    const NamedTensors good = sched.state_dict();
    const NamedTensors before = good;
    CHECK(equal(good[0].second, tensor({2.0f, 4.0f})));  // sorted by the constructor
    using test::with_entry;
    CHECK_ERROR(ValueError,
                [&] {
                    sched.load_state_dict(with_entry(good, "milestones", tensor({4.0f, 2.0f})));
                },
                {"milestones must be in increasing order"});
    CHECK_ERROR(StateError,
                [&] { sched.load_state_dict(with_entry(good, "milestones", tensor({2.5f}))); },
                {"milestones[0] is 2.5, not an integer"});
    CHECK_ERROR(StateError,
                [&] {
                    sched.load_state_dict(with_entry(good, "milestones", zeros({1, 2})));
                },
                {"milestones has shape (1, 2), expected (n)"});
    CHECK_OUTCOME(test::same_state(sched.state_dict(), before));
    // Any number of milestones loads, as PyTorch overwrites the list.
    auto other_opt = two_groups();
    optim::MultiStepLR three(*other_opt, {1, 2, 3}, 0.5);
    three.step();
    three.step();
    sched.load_state_dict(three.state_dict());
    sched.step();
    CHECK(sched.get_last_lr()[0] == doctest::Approx(0.1 * 0.125));
}

TEST_CASE("scheduler.step() before any optimizer.step() warns once, as PyTorch does") {
    std::vector<std::string> warnings;
    descent::detail::reset_warnings();
    WarningHandler previous =
        set_warning_handler([&](const std::string& m) { warnings.push_back(m); });
    {
        auto opt = two_groups();
        optim::ExponentialLR sched(*opt, 0.5);
        sched.step();
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].find("ExponentialLR.step() was called before any") != std::string::npos);
        CHECK(warnings[0].find("call optimizer.step() before scheduler.step()") !=
              std::string::npos);
    }
    descent::detail::reset_warnings();
    {
        auto opt = two_groups();
        optim::ExponentialLR sched(*opt, 0.5);
        opt->step();  // the right order: no warning
        sched.step();
        CHECK(opt->step_count() == 1);
    }
    CHECK(warnings.size() == 1);
    set_warning_handler(previous);
}
