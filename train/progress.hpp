// A progress bar for one epoch: batch, loss, samples/s and time left, redrawn in place on a
// terminal (at most ten times a second) and silent otherwise, so logs piped to a file get only the
// per-epoch lines the training loop prints itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace descent::train {

class ProgressBar {
public:
    // total: batches in the epoch. tty: draw or not; by default, whether stdout is a terminal.
    ProgressBar(int64_t total, std::string prefix, std::ostream& os);
    ProgressBar(int64_t total, std::string prefix = "");
    ProgressBar(int64_t total, std::string prefix, std::ostream& os, bool tty);
    ~ProgressBar();

    // Batch `batch` (1-based) is done; it had `samples` samples and this loss.
    void update(int64_t batch, int64_t samples, double loss);
    // Erases the bar (on a terminal), ready for the caller's epoch line.
    void finish();

    double seconds() const;  // since construction
    double samples_per_second() const;
    double mean_loss() const;  // sample-weighted mean of the losses given to update()
    bool is_tty() const { return tty_; }

    // The bar's text for these figures, without redraw codes: what a terminal shows.
    static std::string render(const std::string& prefix, int64_t batch, int64_t total, double loss,
                              double samples_per_second, double eta_seconds, int width = 24);

private:
    int64_t total_;
    std::string prefix_;
    std::ostream& os_;
    bool tty_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
    int64_t samples_ = 0;
    double loss_sum_ = 0.0;
};

}  // namespace descent::train
