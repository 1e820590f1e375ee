// Noticing that training went wrong: a non-finite loss stops the run with one line naming the
// epoch, the batch and the learning rate; a loss that has grown 10x over the best epoch mean so far
// is reported once as divergence (usually a learning rate too large), and training goes on. Its
// state dict lets a resumed run warn where the uninterrupted one would.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/named_tensors.hpp"
#include "descent/optim/state_fields.hpp"

namespace descent::train {

// Thrown by DivergenceGuard::check for a NaN or infinite loss.
struct NonFiniteLoss : ValueError {
    using ValueError::ValueError;
};

class DivergenceGuard {
public:
    // factor: how many times the best epoch mean a batch loss may reach before it counts as
    // divergence (PyTorch Lightning and Keras users know this as a "loss explosion" check).
    explicit DivergenceGuard(double factor = 10.0);

    // One batch's loss. Throws NonFiniteLoss for NaN or inf. Returns a warning the first time in
    // an epoch the loss exceeds factor x the best epoch mean so far, otherwise nothing.
    std::optional<std::string> check(double loss, int64_t epoch, int64_t batch, double lr);
    // The epoch's mean loss, once it has ended: the reference for the next epochs.
    void end_epoch(double mean_loss);

    std::optional<double> best() const {
        return has_best_ ? std::optional<double>(best_) : std::nullopt;
    }

    // factor, has_best, best, warned_epoch; doubles as exact (hi, mid, lo) triples.
    NamedTensors state_dict() const;
    // All or nothing: StateError for a missing, unexpected or malformed key, ValueError for a
    // factor the constructor refuses or a non-finite best.
    void load_state_dict(const NamedTensors& dict);

private:
    void check(const std::string& who) const;
    std::vector<optim::detail::StateField> fields();

    double factor_;
    bool has_best_ = false;
    double best_ = 0;  // the best epoch mean, when has_best_
    int64_t warned_epoch_ = -1;
};

}  // namespace descent::train
