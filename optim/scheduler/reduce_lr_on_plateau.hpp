// ReduceLROnPlateau: multiplies every group's lr by `factor` when a metric has not improved for
// more than `patience` epochs, then waits `cooldown` epochs before counting again
// (torch.optim.lr_scheduler.ReduceLROnPlateau). Driven by step(metric), not by epochs alone.
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

private:
    bool is_better(double metric) const;

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
