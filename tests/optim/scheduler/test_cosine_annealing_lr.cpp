// CosineAnnealingLR: landmarks (start, half-way, T_max), the closed form and PyTorch's recursive
// form over three periods, checks.
#include "optim/scheduler/schedule.hpp"

#include <cmath>

#include "descent/optim/scheduler/cosine_annealing_lr.hpp"

using namespace descent;
using namespace schedule_test;
using optim::CosineAnnealingLR;

namespace {
const double pi = std::acos(-1.0);
}

TEST_CASE("CosineAnnealingLR goes from base_lr to eta_min over T_max epochs") {
    auto opt = two_groups();
    CosineAnnealingLR sched(*opt, 10, 0.001);
    CHECK(sched.get_last_lr()[0] == doctest::Approx(0.1));
    for (int i = 0; i < 5; ++i) sched.step();
    CHECK(sched.get_last_lr()[0] == doctest::Approx((0.1 + 0.001) / 2));
    CHECK(sched.get_last_lr()[1] == doctest::Approx((0.02 + 0.001) / 2));
    for (int i = 0; i < 5; ++i) sched.step();
    CHECK(sched.get_last_lr()[0] == doctest::Approx(0.001));
    CHECK(sched.get_last_lr()[1] == doctest::Approx(0.001));
}

TEST_CASE("CosineAnnealingLR follows its closed form and PyTorch's recursive form") {
    const int64_t T = 12;
    const double eta = 0.005;
    auto opt = two_groups();
    CosineAnnealingLR sched(*opt, T, eta);
    CHECK_OUTCOME(follows(
        sched, *opt,
        [&](double base, int64_t e, double) {
            return eta + (base - eta) * (1 + std::cos(pi * e / T)) / 2;
        },
        3 * T));
    // torch's get_lr(): the chained form, with its special case at the bottom of each period.
    auto opt2 = two_groups();
    CosineAnnealingLR chained(*opt2, T, eta);
    CHECK_OUTCOME(follows(
        chained, *opt2,
        [&](double base, int64_t e, double prev) {
            if (e == 0) return base;
            if ((e - 1 - T) % (2 * T) == 0) return prev + (base - eta) * (1 - std::cos(pi / T)) / 2;
            return (1 + std::cos(pi * e / T)) / (1 + std::cos(pi * (e - 1) / T)) * (prev - eta) +
                   eta;
        },
        3 * T, 1e-9));
}

TEST_CASE("CosineAnnealingLR checks its arguments") {
    auto opt = two_groups();
    CHECK_ERROR(ValueError, [&] { CosineAnnealingLR(*opt, 0); }, {"CosineAnnealingLR()", "T_max"});
    CHECK_ERROR(ValueError, [&] { CosineAnnealingLR(*opt, 5, -1); }, {"eta_min", "-1"});
}
