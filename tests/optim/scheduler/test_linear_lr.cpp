// LinearLR (warm-up): default factors, the closed form and PyTorch's chained form, checks.
#include "optim/scheduler/schedule.hpp"

#include <algorithm>

#include "descent/optim/scheduler/linear_lr.hpp"

using namespace descent;
using namespace schedule_test;
using optim::LinearLR;

TEST_CASE("LinearLR warms up from base_lr / 3 to base_lr over 5 epochs by default") {
    auto opt = two_groups();
    LinearLR sched(*opt);
    const std::vector<double> factors = {1 / 3.0,   7 / 15.0, 9 / 15.0, 11 / 15.0,
                                         13 / 15.0, 1,        1,        1};
    for (size_t e = 0; e < factors.size(); ++e) {
        if (e > 0) sched.step();
        CHECK(sched.get_last_lr()[0] == doctest::Approx(0.1 * factors[e]));
        CHECK(sched.get_last_lr()[1] == doctest::Approx(0.02 * factors[e]));
    }
}

TEST_CASE("LinearLR follows its closed form and PyTorch's chained form, decaying too") {
    for (auto [s, f, T] :
         {std::tuple{0.1, 1.0, 8}, std::tuple{1.0, 0.25, 20}, std::tuple{0.5, 0.0, 3}}) {
        CAPTURE(s);
        CAPTURE(f);
        auto opt = two_groups();
        LinearLR sched(*opt, s, f, T);
        CHECK_OUTCOME(follows(
            sched, *opt,
            [&](double base, int64_t e, double) {
                return base * (s + (f - s) * std::min<int64_t>(e, T) / T);
            },
            40));
        auto opt2 = two_groups();
        LinearLR chained(*opt2, s, f, T);
        CHECK_OUTCOME(follows(
            chained, *opt2,
            [&](double base, int64_t e, double prev) {
                if (e == 0) return base * s;
                if (e > T) return prev;
                return prev * (1 + (f - s) / (T * s + (e - 1) * (f - s)));
            },
            40, 1e-9));
    }
}

TEST_CASE("LinearLR checks its arguments") {
    auto opt = two_groups();
    CHECK_ERROR(ValueError, [&] { LinearLR(*opt, 0.0); }, {"LinearLR()", "start_factor", "0"});
    CHECK_ERROR(ValueError, [&] { LinearLR(*opt, 0.5, 1.5); }, {"end_factor", "1.5"});
    CHECK_ERROR(ValueError, [&] { LinearLR(*opt, 0.5, 1.0, 0); }, {"total_iters", "0"});
}
