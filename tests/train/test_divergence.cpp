// DivergenceGuard: NaN and inf stop training with the epoch, batch and lr; growth past 10x the best
// epoch mean is reported once per epoch; bad factors are refused.
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
