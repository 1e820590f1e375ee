// EarlyStopping: tells the training loop when a monitored metric has stopped improving, or has
// reached a target. Call step(value) once per epoch; it returns true when training should stop.
// Its state dict lets a checkpoint resume it, so a resumed run stops where the original would.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "descent/core/named_tensors.hpp"
#include "descent/optim/mode.hpp"
#include "descent/optim/state_fields.hpp"

namespace descent::train {

class EarlyStopping {
public:
    // An epoch improves on the best value when it beats it by more than min_delta (down for
    // Mode::min, up for Mode::max). Stops after `patience` epochs in a row without improvement,
    // or as soon as a value reaches `target` (<= for min, >= for max).
    explicit EarlyStopping(int64_t patience, double min_delta = 0,
                           optim::Mode mode = optim::Mode::min,
                           std::optional<double> target = std::nullopt);

    bool step(double value);  // ValueError on NaN
    bool should_stop() const { return stop_ != Stop::none; }
    double best() const { return best_; }  // +inf (min) or -inf (max) before the first step
    int64_t best_epoch() const { return best_epoch_; }  // 0-based; -1 before the first step
    int64_t epoch() const { return epoch_; }            // steps taken
    int64_t num_bad_epochs() const { return bad_; }
    // Why training should stop, for a log line; empty while it should not.
    const std::string& reason() const { return reason_; }

    // patience, min_delta, mode (0 min, 1 max), has_target, target, best, best_epoch, epoch,
    // num_bad_epochs, stopped (0 no, 1 target reached, 2 patience ran out), stop_value and
    // stop_epoch (what reason() names); doubles as exact (hi, mid, lo) triples.
    NamedTensors state_dict() const;
    // All or nothing: StateError for a missing, unexpected or malformed key, ValueError for an
    // argument out of range (as the constructor) or counters no run reaches.
    void load_state_dict(const NamedTensors& dict);

private:
    enum class Stop { none, target, patience };
    void check(const std::string& who) const;
    void set_reason();
    std::vector<optim::detail::StateField> fields();

    int64_t patience_;
    double min_delta_;
    optim::Mode mode_;
    bool has_target_;
    double target_;  // when has_target_
    double best_;
    int64_t best_epoch_ = -1, epoch_ = 0, bad_ = 0;
    Stop stop_ = Stop::none;
    double stop_value_ = 0;  // the value that reached the target, or the best when patience ran out
    int64_t stop_epoch_ = -1;  // its epoch
    std::string reason_;
};

}  // namespace descent::train
