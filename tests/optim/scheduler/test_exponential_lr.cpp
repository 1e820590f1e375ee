// ExponentialLR: the closed form and PyTorch's chained form over 200 epochs, and its check.
#include "optim/scheduler/schedule.hpp"

#include <cmath>

#include "descent/optim/scheduler/exponential_lr.hpp"

using namespace descent;
using namespace schedule_test;
using optim::ExponentialLR;

TEST_CASE("ExponentialLR multiplies by gamma every epoch") {
    auto opt = two_groups();
    ExponentialLR sched(*opt, 0.9);
    sched.step();
    sched.step();
    CHECK(sched.get_last_lr()[0] == doctest::Approx(0.081));
    CHECK(opt->param_groups()[1].options().get_lr() == doctest::Approx(0.0162));
    auto opt2 = two_groups();
    ExponentialLR closed(*opt2, 0.97);
    CHECK_OUTCOME(follows(
        closed, *opt2,
        [](double base, int64_t e, double) {
            return base * std::pow(0.97, static_cast<double>(e));
        },
        200));
    auto opt3 = two_groups();
    ExponentialLR chained(*opt3, 0.97);
    CHECK_OUTCOME(follows(
        chained, *opt3,
        [](double base, int64_t e, double prev) { return e == 0 ? base : prev * 0.97; }, 200,
        1e-9));
}

TEST_CASE("ExponentialLR checks gamma") {
    auto opt = two_groups();
    CHECK_ERROR(ValueError, [&] { ExponentialLR(*opt, -1); }, {"ExponentialLR()", "gamma", "-1"});
}
