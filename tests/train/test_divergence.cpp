// DivergenceGuard: NaN and inf stop training with the epoch, batch and lr; growth past 10x the best
// epoch mean is reported once per epoch; bad factors are refused; the state dict carries it over.
#include "descent/train/divergence.hpp"

#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;

TEST_CASE("DivergenceGuard stops on a non-finite loss, naming epoch, batch and lr") {
    train::DivergenceGuard guard;
    CHECK_FALSE(guard.check(0.7, 1, 1, 0.1).has_value());
    CHECK_ERROR(train::NonFiniteLoss, [&] { guard.check(std::nan(""), 3, 120, 0.5); },
                {"loss is nan", "epoch 3", "batch 120", "lr 0.5"});
    CHECK_ERROR(ValueError,
                [&] { guard.check(std::numeric_limits<double>::infinity(), 2, 7, 0.01); },
                {"loss is inf", "epoch 2", "batch 7"});
}

TEST_CASE("DivergenceGuard warns once per epoch when the loss grows 10x over the best epoch") {
    train::DivergenceGuard guard;
    guard.end_epoch(0.5);
    guard.end_epoch(0.4);  // the best so far
    guard.end_epoch(0.9);  // worse: the best stays 0.4
    CHECK(guard.best() == doctest::Approx(0.4));
    CHECK_FALSE(guard.check(3.9, 4, 1, 0.1).has_value());  // under 10 x 0.4
    const auto w = guard.check(4.5, 4, 2, 0.1);
    REQUIRE(w.has_value());
    CHECK(w->find("diverges") != std::string::npos);
    CHECK(w->find("epoch 4, batch 2") != std::string::npos);
    CHECK_FALSE(guard.check(9.0, 4, 3, 0.1).has_value());  // once per epoch
    CHECK(guard.check(9.0, 5, 1, 0.1).has_value());
    CHECK_ERROR(ValueError, [] { train::DivergenceGuard g(1.0); }, {"factor", "1"});
    CHECK_ERROR(ValueError, [] { train::DivergenceGuard g(std::nan("")); }, {"factor", "nan"});
}

TEST_CASE("DivergenceGuard's state dict: a resumed guard warns where the first one would") {
    train::DivergenceGuard first(4.0);
    first.end_epoch(0.3);
    first.check(2.0, 2, 5, 0.1);  // warned in epoch 2
    train::DivergenceGuard resumed;
    CHECK_FALSE(resumed.check(2.0, 3, 1, 0.1).has_value());  // fresh: no best, no warning
    resumed.load_state_dict(first.state_dict());
    CHECK(resumed.best() == 0.3);
    CHECK_FALSE(resumed.check(2.0, 2, 6, 0.1).has_value());  // epoch 2 was warned already
    CHECK(resumed.check(1.5, 3, 1, 0.1).has_value());        // over 4 x 0.3: the loaded factor

    train::DivergenceGuard unset;
    resumed.load_state_dict(unset.state_dict());
    CHECK_FALSE(resumed.best().has_value());
    const NamedTensors before = resumed.state_dict();
    CHECK_ERROR(ValueError,
                [&] {
                    resumed.load_state_dict(
                        test::with_entry(first.state_dict(), "factor", tensor({0.5f, 0, 0})));
                },
                {"DivergenceGuard.load_state_dict(): factor must be a finite number > 1, got 0.5"});
    CHECK_ERROR(StateError,
                [&] { resumed.load_state_dict(test::with_entry(before, "best", Tensor())); },
                {"missing keys: best"});
    CHECK_OUTCOME(test::same_state(resumed.state_dict(), before));
}
