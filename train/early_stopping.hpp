// EarlyStopping: tells the training loop when a monitored metric has stopped improving, or has
// reached a target. Call step(value) once per epoch; it returns true when training should stop.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "descent/optim/mode.hpp"

namespace descent::train {

class EarlyStopping {
public:
    // An epoch improves on the best value when it beats it by more than min_delta (down for
    // Mode::min, up for Mode::max). Stops after `patience` epochs in a row without improvement,
    // or as soon as a value reaches `target` (<= for min, >= for max).
    explicit EarlyStopping(int64_t patience, double min_delta = 0, optim::Mode mode = optim::Mode::min,
                           std::optional<double> target = std::nullopt);

    bool step(double value);  // ValueError on NaN
    bool should_stop() const { return stop_; }
    double best() const { return best_; }  // +inf (min) or -inf (max) before the first step
    int64_t best_epoch() const { return best_epoch_; }  // 0-based; -1 before the first step
    int64_t epoch() const { return epoch_; }            // steps taken
    int64_t num_bad_epochs() const { return bad_; }
    // Why training should stop, for a log line; empty while it should not.
    const std::string& reason() const { return reason_; }

private:
    int64_t patience_;
    double min_delta_;
    optim::Mode mode_;
    std::optional<double> target_;
    double best_;
    int64_t best_epoch_ = -1, epoch_ = 0, bad_ = 0;
    bool stop_ = false;
    std::string reason_;
};

}  // namespace descent::train
