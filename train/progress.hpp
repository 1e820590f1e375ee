// A progress bar for one epoch: batch, the epoch's running mean loss, samples/s and time left,
// redrawn in place on a terminal (at most ten times a second, never wider than the terminal) and
// silent otherwise, so logs piped to a file get only the per-epoch lines the training loop prints.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace descent::train {

class ProgressBar {
public:
    // total: batches in the epoch. tty: draw or not; by default, whether stdout is a terminal.
    // columns: the width to fit; by default the terminal's (TIOCGWINSZ, read again after SIGWINCH).
    ProgressBar(int64_t total, std::string prefix, std::ostream& os);
    ProgressBar(int64_t total, std::string prefix = "");
    ProgressBar(int64_t total, std::string prefix, std::ostream& os, bool tty, int columns = 0);
    ~ProgressBar();

    // Batch `batch` (1-based) is done; it had `samples` samples and this loss.
    void update(int64_t batch, int64_t samples, double loss);
    // Erases the bar (on a terminal), ready for the caller's epoch line.
    void finish();

    double seconds() const;  // since construction
    double samples_per_second() const;
    double mean_loss() const;  // sample-weighted mean of the losses given to update()
    bool is_tty() const { return tty_; }

    // The bar's text for these figures, without redraw codes: what a terminal shows. width: the
    // bar's cells. columns > 0: the line is cut to fit in columns - 1 characters (a line as wide as
    // the terminal wraps on some terminals): first the bar narrows or goes, then the rate and ETA.
    static std::string render(const std::string& prefix, int64_t batch, int64_t total, double loss,
                              double samples_per_second, double eta_seconds, int width = 24,
                              int columns = 0);

    // The width of the terminal on stdout, or 80 when it cannot be read.
    static int terminal_columns();

private:
    int64_t total_;
    std::string prefix_;
    std::ostream& os_;
    bool tty_;
    int columns_;  // 0: follow the terminal
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
    int64_t samples_ = 0;
    double loss_sum_ = 0.0;
};

}  // namespace descent::train
