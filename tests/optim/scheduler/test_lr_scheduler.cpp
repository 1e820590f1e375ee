// The scheduler base: epoch 0 applied at construction, base_lrs, and a group added afterwards.
#include "optim/scheduler/schedule.hpp"

#include "descent/optim/scheduler/exponential_lr.hpp"
#include "descent/optim/scheduler/reduce_lr_on_plateau.hpp"
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
