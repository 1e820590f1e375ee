// ReduceLROnPlateau: patience, cooldown, rel and abs thresholds in min and max mode, min_lr, eps,
// both groups, its checks and its state dict. Expected lrs are worked out by hand in the comments.
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

TEST_CASE("ReduceLROnPlateau's state dict resumes it exactly, mid-cooldown, over other arguments") {
    const std::vector<double> metrics = {5,   4,   4.5, 4.6, 4.7, 4.8, 3,   3.5, 3.6,
                                         3.7, 3.8, 3.9, 2,   2.1, 2.2, 2.3, 2.4};
    auto opt = two_groups();
    ReduceLROnPlateau sched(*opt, Mode::min, 0.5, 1, 0.01, ThresholdMode::abs, 2, 1e-3);
    const size_t k = 5;  // a reduction at 4.6 (bad 2 > 1), then the cooldown
    for (size_t i = 0; i < k; ++i) sched.step(metrics[i]);
    REQUIRE(sched.in_cooldown());
    const NamedTensors saved = sched.state_dict(), opt_saved = opt->state_dict();
    std::vector<std::string> keys;
    for (const auto& [key, t] : saved) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{"factor", "min_lr", "patience", "cooldown",
                                           "cooldown_counter", "mode", "threshold",
                                           "threshold_mode", "best", "num_bad_epochs", "eps",
                                           "last_epoch", "_last_lr"});

    auto fresh_opt = two_groups();
    ReduceLROnPlateau fresh(*fresh_opt, Mode::max, 0.9, 7);
    fresh_opt->load_state_dict(opt_saved);
    fresh.load_state_dict(saved);
    CHECK(fresh.best() == 4);
    CHECK(fresh.last_epoch() == 5);
    CHECK(fresh.in_cooldown());
    for (size_t i = k; i < metrics.size(); ++i) {
        sched.step(metrics[i]);
        fresh.step(metrics[i]);
        CAPTURE(i);
        CHECK(fresh.get_last_lr() == sched.get_last_lr());
        CHECK(fresh.num_bad_epochs() == sched.num_bad_epochs());
    }
    CHECK(sched.get_last_lr()[0] < 0.05);  // it did reduce again after the resumption
    CHECK_OUTCOME(test::same_state(fresh.state_dict(), sched.state_dict()));

    // Before its first step, best is +inf in min mode (-inf in max) and survives the file.
    auto opt2 = two_groups();
    ReduceLROnPlateau unstepped(*opt2, Mode::max);
    auto opt3 = two_groups();
    ReduceLROnPlateau other(*opt3, Mode::min);
    other.load_state_dict(unstepped.state_dict());
    CHECK(other.best() == -std::numeric_limits<double>::infinity());
    other.step(-1e30);
    CHECK(other.best() == -1e30);  // max mode came with it: anything beats -inf
}

TEST_CASE("ReduceLROnPlateau::load_state_dict refuses arguments and counters no run reaches") {
    auto source_opt = two_groups();
    ReduceLROnPlateau source(*source_opt, Mode::min, 0.5, 3, 1e-4, ThresholdMode::rel, 2);
    for (double m : {3.0, 2.0, 2.5}) source.step(m);  // best 2, one bad epoch
    const NamedTensors good = source.state_dict();
    auto opt = two_groups();
    ReduceLROnPlateau sched(*opt);
    const NamedTensors before = sched.state_dict();
    using test::with_entry;
    const auto count = [](float v) { return scalar_tensor(v); };
    const std::vector<std::tuple<const char*, Tensor, std::string>> bad = {
        {"mode", count(2), "mode is 2, not an integer in [0, 1]"},
        {"threshold_mode", count(-1), "threshold_mode is -1"},
        {"factor", tensor({1.0f, 0, 0}), "factor must be in [0, 1), got 1"},
        {"best", tensor({NAN, 0, 0}), "best is NaN"},
        {"num_bad_epochs", count(4), "num_bad_epochs 4 exceeds patience 3"},
        {"cooldown_counter", count(3), "cooldown_counter 3 exceeds cooldown 2"},
        {"cooldown_counter", count(1), "num_bad_epochs 1 during a cooldown"},
        {"last_epoch", count(0), "exceeds patience 3 or last_epoch 0"},
        {"_last_lr", tensor({0.1f, 0, 0}), "_last_lr has shape (3), expected (2, 3)"},
    };
    for (const auto& [key, value, message] : bad) {
        CAPTURE(key);
        const NamedTensors dict = with_entry(good, key, value);
        const bool structural = message.find(" is ") != std::string::npos ||
                                message.find("has shape") != std::string::npos;
        if (structural)
            CHECK_ERROR(StateError, [&] { sched.load_state_dict(dict); },
                        {"ReduceLROnPlateau.load_state_dict()", message});
        else
            CHECK_ERROR(ValueError, [&] { sched.load_state_dict(dict); },
                        {"ReduceLROnPlateau.load_state_dict()", message});
        CHECK_OUTCOME(test::same_state(sched.state_dict(), before));
    }
    sched.load_state_dict(good);
    CHECK(sched.best() == 2);
    CHECK(sched.num_bad_epochs() == 1);
}
