// ReduceLROnPlateau: patience, cooldown, rel and abs thresholds in min and max mode, min_lr, eps,
// both groups, and its checks. Expected lrs are worked out by hand in the comments.
#include "optim/scheduler/schedule.hpp"

#include "descent/optim/scheduler/reduce_lr_on_plateau.hpp"

using namespace descent;
using namespace schedule_test;
using optim::Mode;
using optim::ReduceLROnPlateau;
using optim::ThresholdMode;

namespace {

// Steps with each metric; the first group's lr after each step.
std::vector<double> lrs(ReduceLROnPlateau& sched, const std::vector<double>& metrics) {
    std::vector<double> out;
    for (double m : metrics) {
        sched.step(m);
        out.push_back(sched.get_last_lr()[0]);
    }
    return out;
}

}  // namespace

TEST_CASE("ReduceLROnPlateau reduces after more than patience bad epochs") {
    auto opt = two_groups();
    ReduceLROnPlateau sched(*opt, Mode::min, 0.5, 2, 0.0);
    // 10 best; 11, 12 bad 1, 2; 13 bad 3 > 2: halve; 9 best; 9, 9 bad 1, 2 (equal is not better);
    // 9 bad 3: halve.
    const std::vector<double> got = lrs(sched, {10, 11, 12, 13, 9, 9, 9, 9});
    CHECK(got == std::vector<double>{0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025});
    CHECK(sched.get_last_lr()[1] == doctest::Approx(0.02 / 4));  // every group
    CHECK(opt->param_groups()[1].options().get_lr() == doctest::Approx(0.005));
    CHECK(sched.best() == 9);
    CHECK(sched.last_epoch() == 8);
}

TEST_CASE("ReduceLROnPlateau ignores bad epochs during the cooldown") {
    auto opt = two_groups();
    ReduceLROnPlateau sched(*opt, Mode::min, 0.1, 0, 0.0, ThresholdMode::rel, 2);
    // 5 best; 6 bad 1 > 0: reduce, cooldown 2; 7, 8 in cooldown; 9 bad 1: reduce.
    const std::vector<double> got = lrs(sched, {5, 6, 7, 8, 9});
    CHECK(got[0] == 0.1);
    CHECK(got[1] == doctest::Approx(0.01));
    CHECK(got[2] == doctest::Approx(0.01));
    CHECK(got[3] == doctest::Approx(0.01));
    CHECK(got[4] == doctest::Approx(0.001));
}

TEST_CASE("ReduceLROnPlateau's thresholds, relative and absolute, in min and max mode") {
    // Patience 0: the epoch after the first reduces unless it is better.
    auto reduced = [](Mode mode, ThresholdMode tm, double threshold, double first, double second) {
        auto opt = two_groups();
        ReduceLROnPlateau sched(*opt, mode, 0.5, 0, threshold, tm);
        sched.step(first);
        sched.step(second);
        return sched.get_last_lr()[0] < 0.1;
    };
    CHECK(reduced(Mode::min, ThresholdMode::rel, 0.1, 1.0, 0.95));  // needs < 0.9
    CHECK_FALSE(reduced(Mode::min, ThresholdMode::rel, 0.1, 1.0, 0.89));
    CHECK(reduced(Mode::min, ThresholdMode::abs, 0.1, 2.0, 1.91));  // needs < 1.9
    CHECK_FALSE(reduced(Mode::min, ThresholdMode::abs, 0.1, 2.0, 1.89));
    CHECK(reduced(Mode::max, ThresholdMode::rel, 0.1, 1.0, 1.05));  // needs > 1.1
    CHECK_FALSE(reduced(Mode::max, ThresholdMode::rel, 0.1, 1.0, 1.11));
    CHECK(reduced(Mode::max, ThresholdMode::abs, 0.1, 2.0, 2.09));  // needs > 2.1
    CHECK_FALSE(reduced(Mode::max, ThresholdMode::abs, 0.1, 2.0, 2.11));
    CHECK(reduced(Mode::min, ThresholdMode::rel, 1e-4, 1.0, 0.99995));  // default threshold
}

TEST_CASE("ReduceLROnPlateau stops at min_lr and skips changes smaller than eps") {
    auto opt = two_groups();
    ReduceLROnPlateau sched(*opt, Mode::min, 0.1, 0, 0.0, ThresholdMode::rel, 0, 0.004);
    // Group 0: 0.1 -> 0.01 -> 0.004 (floor) -> 0.004. Group 1: 0.02 -> 0.004 -> 0.004.
    lrs(sched, {1, 1});
    CHECK(sched.get_last_lr()[0] == doctest::Approx(0.01));
    CHECK(sched.get_last_lr()[1] == doctest::Approx(0.004));
    lrs(sched, {1, 1});
    CHECK(sched.get_last_lr()[0] == doctest::Approx(0.004));
    CHECK(sched.get_last_lr()[1] == doctest::Approx(0.004));

    auto tiny = two_groups();
    tiny->param_groups()[0].options().set_lr(1e-8);
    ReduceLROnPlateau small(*tiny, Mode::min, 0.5, 0);  // 1e-8 -> 5e-9 changes by 5e-9 <= eps
    lrs(small, {1, 1});
    CHECK(small.get_last_lr()[0] == 1e-8);
    CHECK(small.get_last_lr()[1] == doctest::Approx(0.01));
}

TEST_CASE("ReduceLROnPlateau checks its arguments and refuses NaN metrics") {
    auto opt = two_groups();
    CHECK_ERROR(ValueError, [&] { ReduceLROnPlateau(*opt, Mode::min, 1.0); },
                {"ReduceLROnPlateau()", "factor", "1"});
    CHECK_ERROR(ValueError, [&] { ReduceLROnPlateau(*opt, Mode::min, 0.1, -1); }, {"patience"});
    CHECK_ERROR(ValueError, [&] { ReduceLROnPlateau(*opt, Mode::min, 0.1, 1, -1e-4); },
                {"threshold"});
    CHECK_ERROR(ValueError,
                [&] { ReduceLROnPlateau(*opt, Mode::min, 0.1, 1, 1e-4, ThresholdMode::rel, -1); },
                {"cooldown"});
    CHECK_ERROR(
        ValueError,
        [&] { ReduceLROnPlateau(*opt, Mode::min, 0.1, 1, 1e-4, ThresholdMode::rel, 0, -1); },
        {"min_lr"});
    ReduceLROnPlateau sched(*opt);
    CHECK_ERROR(ValueError, [&] { sched.step(std::nan("")); },
                {"ReduceLROnPlateau::step()", "NaN"});
}
