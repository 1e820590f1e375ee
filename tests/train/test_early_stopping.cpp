// EarlyStopping: patience, min_delta, min and max modes, a target value, and its reasons.
#include "support.hpp"

#include "descent/train/early_stopping.hpp"

using namespace descent;
using train::EarlyStopping;
using optim::Mode;

TEST_CASE("EarlyStopping stops after patience epochs without improvement") {
    EarlyStopping stop(3);
    CHECK_FALSE(stop.step(1.0));  // epoch 0: best
    CHECK_FALSE(stop.step(0.8));  // 1: best
    CHECK_FALSE(stop.step(0.9));  // 2: bad 1
    CHECK_FALSE(stop.step(0.8));  // 3: equal is no improvement, bad 2
    CHECK(stop.num_bad_epochs() == 2);
    CHECK(stop.reason().empty());
    CHECK(stop.step(0.85));  // 4: bad 3 -> stop
    CHECK(stop.should_stop());
    CHECK(stop.best() == 0.8);
    CHECK(stop.best_epoch() == 1);
    CHECK(stop.epoch() == 5);
    CHECK(stop.reason().find("for 3 epochs") != std::string::npos);
    CHECK(stop.reason().find("best 0.8 at epoch 1") != std::string::npos);
}

TEST_CASE("EarlyStopping: an improvement must exceed min_delta, and a real one resets the count") {
    EarlyStopping stop(2, 0.1);
    CHECK_FALSE(stop.step(1.0));
    CHECK_FALSE(stop.step(0.95));  // better by 0.05 <= 0.1: bad 1
    CHECK(stop.best() == 1.0);
    CHECK_FALSE(stop.step(0.85));  // better by 0.15: reset
    CHECK(stop.best() == 0.85);
    CHECK(stop.num_bad_epochs() == 0);
    CHECK_FALSE(stop.step(0.80));  // bad 1
    CHECK(stop.step(0.76));        // bad 2 -> stop
    CHECK(stop.reason().find("more than 0.1") != std::string::npos);
}

TEST_CASE("EarlyStopping in max mode, and with a target") {
    EarlyStopping acc(2, 0.0, Mode::max, 0.95);
    CHECK_FALSE(acc.step(0.5));
    CHECK_FALSE(acc.step(0.7));
    CHECK_FALSE(acc.step(0.6));  // bad 1
    CHECK(acc.best() == 0.7);
    CHECK(acc.step(0.96));  // target reached, though patience was not exhausted
    CHECK(acc.reason().find("target 0.95 reached: 0.96 at epoch 3") != std::string::npos);
    EarlyStopping loss(100, 0.0, Mode::min, 0.1);
    CHECK_FALSE(loss.step(0.5));
    CHECK(loss.step(0.1));  // reaching the target exactly counts
    // Once stopped it stays stopped, with its first reason.
    CHECK(loss.step(0.9));
    CHECK(loss.reason().find("target") != std::string::npos);
}

TEST_CASE("EarlyStopping refuses bad arguments and NaN values") {
    CHECK_ERROR(ValueError, [] { EarlyStopping(0); }, {"EarlyStopping()", "patience", "0"});
    CHECK_ERROR(ValueError, [] { EarlyStopping(3, -0.1); }, {"min_delta", "-0.1"});
    EarlyStopping stop(3);
    CHECK_ERROR(ValueError, [&] { stop.step(std::nan("")); }, {"EarlyStopping::step()", "NaN"});
}
