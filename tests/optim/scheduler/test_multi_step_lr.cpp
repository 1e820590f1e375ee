// MultiStepLR: hand-computed values (unsorted and repeated milestones), the closed form and
// PyTorch's chained form over 100 epochs, checks.
#include "optim/scheduler/schedule.hpp"

#include <algorithm>
#include <cmath>

#include "descent/optim/scheduler/multi_step_lr.hpp"

using namespace descent;
using namespace schedule_test;
using optim::MultiStepLR;

TEST_CASE("MultiStepLR multiplies by gamma at each milestone") {
    auto opt = two_groups();
    MultiStepLR sched(*opt, {4, 2}, 0.1);  // order does not matter
    const std::vector<double> want = {0.1, 0.1, 0.01, 0.01, 0.001, 0.001};
    for (size_t e = 0; e < want.size(); ++e) {
        if (e > 0) sched.step();
        CHECK(sched.get_last_lr()[0] == doctest::Approx(want[e]));
    }
}

TEST_CASE("MultiStepLR follows its closed form and PyTorch's chained form over 100 epochs") {
    const std::vector<int64_t> milestones = {30, 10, 60, 60, 85};  // 60 twice: gamma² there
    auto count_upto = [&](int64_t e) {
        return std::count_if(milestones.begin(), milestones.end(),
                             [&](int64_t m) { return m <= e; });
    };
    auto opt = two_groups();
    MultiStepLR sched(*opt, milestones, 0.5);
    CHECK_OUTCOME(follows(
        sched, *opt,
        [&](double base, int64_t e, double) {
            return base * std::pow(0.5, static_cast<double>(count_upto(e)));
        },
        100));
    auto opt2 = two_groups();
    MultiStepLR chained(*opt2, milestones, 0.5);
    CHECK_OUTCOME(follows(
        chained, *opt2,
        [&](double base, int64_t e, double prev) {
            if (e == 0) return base;
            return prev * std::pow(0.5, static_cast<double>(
                                            std::count(milestones.begin(), milestones.end(), e)));
        },
        100, 1e-9));
}

TEST_CASE("MultiStepLR checks gamma") {
    auto opt = two_groups();
    CHECK_ERROR(ValueError, [&] { MultiStepLR(*opt, {1}, 0); }, {"MultiStepLR()", "gamma", "0"});
}
