// EarlyStopping: patience, min_delta, min and max modes, a target value, its reasons and its
// state dict.
#include "support.hpp"

#include "descent/train/early_stopping.hpp"

using namespace descent;
using optim::Mode;
using train::EarlyStopping;

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

TEST_CASE("EarlyStopping's state dict resumes it: the same decisions, the same reason") {
    const std::vector<double> values = {1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.72, 0.71, 0.74};
    for (size_t k : {size_t(0), size_t(3), size_t(7), values.size()}) {
        CAPTURE(k);
        EarlyStopping a(3, 0.01, Mode::min, 0.5);
        std::vector<bool> straight;
        for (size_t i = 0; i < k; ++i) straight.push_back(a.step(values[i]));
        const NamedTensors saved = a.state_dict();
        EarlyStopping b(9, 0.5, Mode::max);  // other arguments: overwritten, as PyTorch loads
        b.load_state_dict(saved);
        CHECK(b.should_stop() == a.should_stop());
        CHECK(b.reason() == a.reason());
        CHECK(b.best() == a.best());
        for (size_t i = k; i < values.size(); ++i) CHECK(b.step(values[i]) == a.step(values[i]));
        CHECK(b.reason() == a.reason());
        CHECK(b.best_epoch() == a.best_epoch());
        CHECK_OUTCOME(test::same_state(b.state_dict(), a.state_dict()));
    }
    // A stopper that stopped carries its reason through the file.
    EarlyStopping stopped(1, 0, Mode::max, 0.9);
    stopped.step(0.5);
    stopped.step(0.95);
    REQUIRE(stopped.should_stop());
    EarlyStopping again(4);
    again.load_state_dict(stopped.state_dict());
    CHECK(again.should_stop());
    CHECK(again.reason() == "target 0.9 reached: 0.95 at epoch 1");
}

TEST_CASE("EarlyStopping::load_state_dict refuses what no run reaches and changes nothing") {
    EarlyStopping source(2);
    source.step(1.0);
    source.step(1.5);
    const NamedTensors good = source.state_dict();
    EarlyStopping stop(5, 0.1);
    stop.step(3.0);
    const NamedTensors before = stop.state_dict();
    using test::with_entry;
    CHECK_ERROR(ValueError,
                [&] { stop.load_state_dict(with_entry(good, "patience", scalar_tensor(0))); },
                {"EarlyStopping.load_state_dict(): patience must be >= 1, got 0"});
    CHECK_ERROR(ValueError,
                [&] { stop.load_state_dict(with_entry(good, "best_epoch", scalar_tensor(2))); },
                {"best_epoch 2", "below epoch 2"});
    CHECK_ERROR(ValueError,
                [&] { stop.load_state_dict(with_entry(good, "stopped", scalar_tensor(2))); },
                {"stop_epoch -1 is not an epoch"});
    CHECK_ERROR(StateError,
                [&] { stop.load_state_dict(with_entry(good, "stopped", scalar_tensor(3))); },
                {"stopped is 3, not an integer in [0, 2]"});
    CHECK_ERROR(StateError, [&] { stop.load_state_dict(with_entry(good, "epoch", Tensor())); },
                {"missing keys: epoch"});
    CHECK_OUTCOME(test::same_state(stop.state_dict(), before));
    CHECK(stop.epoch() == 1);
    stop.load_state_dict(good);
    CHECK(stop.num_bad_epochs() == 1);
    CHECK(stop.step(2.0));  // patience 2 came with it
}
