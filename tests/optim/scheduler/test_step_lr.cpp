// StepLR: hand-computed values, the closed form and PyTorch's chained form over 100 epochs, checks.
#include "optim/scheduler/schedule.hpp"

#include <cmath>

#include "descent/optim/scheduler/step_lr.hpp"

using namespace descent;
using namespace schedule_test;
using optim::StepLR;

TEST_CASE("StepLR multiplies by gamma every step_size epochs") {
    auto opt = two_groups();
    StepLR sched(*opt, 3, 0.5);
    const std::vector<double> want = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
    for (size_t e = 0; e < want.size(); ++e) {
        if (e > 0) sched.step();
        CHECK(sched.get_last_lr()[0] == doctest::Approx(want[e]));
        CHECK(sched.get_last_lr()[1] == doctest::Approx(want[e] / 5));
    }
    CHECK(sched.base_lrs() == std::vector<double>{0.1, 0.02});
}

TEST_CASE("StepLR follows its closed form and PyTorch's chained form over 100 epochs") {
    auto opt = two_groups();
    StepLR sched(*opt, 7, 0.8);
    CHECK_OUTCOME(follows(
        sched, *opt,
        [](double base, int64_t e, double) { return base * std::pow(0.8, std::floor(e / 7.0)); },
        100));
    auto opt2 = two_groups();
    StepLR chained(*opt2, 7, 0.8);
    CHECK_OUTCOME(follows(
        chained, *opt2,
        [](double base, int64_t e, double prev) {
            return e == 0 ? base : e % 7 == 0 ? prev * 0.8 : prev;
        },
        100, 1e-9));
}

TEST_CASE("StepLR checks its arguments") {
    auto opt = two_groups();
    CHECK_ERROR(ValueError, [&] { StepLR(*opt, 0); }, {"StepLR()", "step_size", "0"});
    CHECK_ERROR(ValueError, [&] { StepLR(*opt, 2, -0.5); }, {"StepLR()", "gamma", "-0.5"});
}
