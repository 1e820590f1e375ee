// ReduceLROnPlateau: multiplies every group's lr by `factor` when a metric has not improved for
// more than `patience` epochs, then waits `cooldown` epochs before counting again
// (torch.optim.lr_scheduler.ReduceLROnPlateau). Driven by step(metric), not by epochs alone; its
// state dict holds its arguments and counters by PyTorch's names.
#pragma once

#include <cstdint>
#include <vector>

#include "descent/optim/mode.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

enum class ThresholdMode { rel, abs };

class ReduceLROnPlateau {
public:
    // A metric improves on the best when it is below best·(1 - threshold) (rel) or best - threshold
    // (abs) in Mode::min; above best·(1 + threshold) or best + threshold in Mode::max. A reduction
    // sets lr = max(lr·factor, min_lr), skipped when it would change lr by eps or less.
    explicit ReduceLROnPlateau(Optimizer& optimizer, Mode mode = Mode::min, double factor = 0.1,
                               int64_t patience = 10, double threshold = 1e-4,
                               ThresholdMode threshold_mode = ThresholdMode::rel,
                               int64_t cooldown = 0, double min_lr = 0, double eps = 1e-8);

    ~ReduceLROnPlateau();
    ReduceLROnPlateau(const ReduceLROnPlateau&) = delete;
    ReduceLROnPlateau& operator=(const ReduceLROnPlateau&) = delete;

    void step(double metric);  // once per epoch; ValueError on NaN
    const std::vector<double>& get_last_lr() const { return last_lr_; }
    int64_t last_epoch() const { return last_epoch_; }
    double best() const { return best_; }
    int64_t num_bad_epochs() const { return num_bad_epochs_; }
    bool in_cooldown() const { return cooldown_counter_ > 0; }

    // factor, min_lr, patience, cooldown, cooldown_counter, mode (0 min, 1 max), threshold,
    // threshold_mode (0 rel, 1 abs), best, num_bad_epochs, eps, last_epoch, _last_lr; doubles as
    // exact (hi, mid, lo) triples, best as (±inf, 0, 0) before the first step (docs/optim.md).
    NamedTensors state_dict() const;
    // Takes every field of `dict`. StateError for a missing, unexpected or malformed key;
    // ValueError for an argument out of range (as the constructor) or counters that no run reaches
    // (num_bad_epochs above patience or above last_epoch, cooldown_counter above cooldown, bad
    // epochs counted during a cooldown). On refusal nothing changes; the optimizer's lrs are not
    // touched.
    void load_state_dict(const NamedTensors& dict);

private:
    bool is_better(double metric) const;
    void check(const std::string& who) const;  // the arguments, then the counters
    std::vector<detail::StateField> fields();

    Optimizer& optimizer_;
    Mode mode_;
    double factor_;
    int64_t patience_;
    double threshold_;
    ThresholdMode threshold_mode_;
    int64_t cooldown_;
    double min_lr_, eps_;
    double best_;
    int64_t num_bad_epochs_ = 0, cooldown_counter_ = 0, last_epoch_ = 0;
    std::vector<double> last_lr_;
};

}  // namespace descent::optim
