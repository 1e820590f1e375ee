// Shared by the scheduler tests: an optimizer with two groups (lr 0.1 and 0.02), and a check that a
// scheduler's lr follows an expected function of (base lr, epoch, previous lr) epoch by epoch.
#pragma once

#include "support.hpp"

#include <functional>
#include <memory>

#include "descent/optim/scheduler/lr_scheduler.hpp"
#include "descent/optim/sgd.hpp"

namespace schedule_test {

inline std::unique_ptr<descent::optim::SGD> two_groups() {
    using descent::optim::OptimizerParamGroup;
    std::vector<OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<descent::Tensor>{descent::ones({2}).requires_grad_()});
    groups.emplace_back(std::vector<descent::Tensor>{descent::ones({3}).requires_grad_()},
                        std::make_unique<descent::optim::SGDOptions>(0.02));
    return std::make_unique<descent::optim::SGD>(groups, descent::optim::SGDOptions(0.1));
}

// lr expected at `epoch` for a group that started at `base` and had `prev` at epoch - 1.
using Expected = std::function<double(double base, int64_t epoch, double prev)>;

// From the scheduler's construction (epoch 0) through `epochs` steps: last_epoch counts, and for
// both groups get_last_lr() and the group's lr equal the expected lr to relative `eps`.
inline test::Outcome follows(descent::optim::LRScheduler& sched, descent::optim::Optimizer& opt,
                             const Expected& expected, int64_t epochs, double eps = 1e-12) {
    std::ostringstream s;
    bool ok = true;
    const std::vector<double> base = {0.1, 0.02};
    std::vector<double> prev = base;
    for (int64_t e = 0; e <= epochs; ++e) {
        if (e > 0) sched.step();
        if (sched.last_epoch() != e) {
            s << "last_epoch " << sched.last_epoch() << " at epoch " << e << "; ";
            ok = false;
        }
        for (size_t g = 0; g < 2; ++g) {
            const double want = expected(base[g], e, prev[g]);
            const double got = sched.get_last_lr()[g];
            const double in_group = opt.param_groups()[g].options().get_lr();
            if (!(got == doctest::Approx(want).epsilon(eps)) || got != in_group) {
                s << "epoch " << e << " group " << g << ": lr " << got << " (group " << in_group
                  << "), expected " << want << "; ";
                ok = false;
            }
            prev[g] = want;
        }
    }
    return {ok, s.str()};
}

}  // namespace schedule_test
