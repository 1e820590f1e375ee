// The progress bar. Drawing is throttled so that a 0.2 ms training step does not pay for a terminal
// write each batch; the ETA is the remaining batches at the epoch's mean batch time so far.
#include "descent/train/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "descent/core/error.hpp"

namespace descent::train {

namespace {
constexpr auto redraw_interval = std::chrono::milliseconds(100);

// SIGWINCH sets this; the next redraw reads the width again. The first bar installs the handler,
// unless the program has one of its own.
std::atomic<bool> resized{true};
std::atomic<int> cached_columns{80};
void on_winch(int) { resized.store(true, std::memory_order_relaxed); }
void watch_resizes() {
    static const bool installed = [] {
        struct sigaction old {};
        if (sigaction(SIGWINCH, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) {
            struct sigaction sa {};
            sa.sa_handler = on_winch;
            sigemptyset(&sa.sa_mask);
            sa.sa_flags = SA_RESTART;
            sigaction(SIGWINCH, &sa, nullptr);
        }
        return true;
    }();
    (void)installed;
}

std::string human_rate(double per_second) {
    char buf[32];
    if (per_second >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2fM", per_second / 1e6);
    else if (per_second >= 1e3)
        std::snprintf(buf, sizeof buf, "%.1fk", per_second / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f", per_second);
    return buf;
}
}  // namespace

ProgressBar::ProgressBar(int64_t total, std::string prefix, std::ostream& os, bool tty, int columns)
    : total_(total),
      prefix_(std::move(prefix)),
      os_(os),
      tty_(tty),
      columns_(columns),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - redraw_interval) {
    DESCENT_CHECK(total >= 0, ValueError, "ProgressBar(): total must be >= 0, got ", total);
    DESCENT_CHECK(columns >= 0, ValueError, "ProgressBar(): columns must be >= 0, got ", columns);
    if (tty_ && columns_ == 0) {
        watch_resizes();
        resized.store(true, std::memory_order_relaxed);  // each bar reads the width afresh
    }
}

int ProgressBar::terminal_columns() {
    if (resized.exchange(false, std::memory_order_relaxed)) {
        struct winsize ws {};
        const bool ok = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0;
        cached_columns.store(ok ? ws.ws_col : 80, std::memory_order_relaxed);
    }
    return cached_columns.load(std::memory_order_relaxed);
}

ProgressBar::ProgressBar(int64_t total, std::string prefix, std::ostream& os)
    : ProgressBar(total, std::move(prefix), os, &os == &std::cout && isatty(STDOUT_FILENO)) {}

ProgressBar::ProgressBar(int64_t total, std::string prefix)
    : ProgressBar(total, std::move(prefix), std::cout) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(int64_t batch, int64_t samples, double loss) {
    samples_ += samples;
    loss_sum_ += loss * static_cast<double>(samples);
    if (!tty_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < redraw_interval && batch != total_) return;
    last_draw_ = now;
    const double elapsed = seconds();
    const double eta = batch > 0 ? elapsed / static_cast<double>(batch) *
                                       static_cast<double>(std::max<int64_t>(total_ - batch, 0))
                                 : 0.0;
    (void)loss;  // the running mean is steadier than one batch's loss
    const int columns = columns_ > 0 ? columns_ : terminal_columns();
    os_ << '\r'
        << render(prefix_, batch, total_, mean_loss(), samples_per_second(), eta, 24, columns)
        << "\033[K" << std::flush;
    drawn_ = true;
}

void ProgressBar::finish() {
    if (drawn_) os_ << "\r\033[K" << std::flush;
    drawn_ = false;
}

double ProgressBar::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double ProgressBar::samples_per_second() const {
    const double s = seconds();
    return s > 0 ? static_cast<double>(samples_) / s : 0.0;
}

double ProgressBar::mean_loss() const {
    return samples_ > 0 ? loss_sum_ / static_cast<double>(samples_) : 0.0;
}

std::string ProgressBar::render(const std::string& prefix, int64_t batch, int64_t total,
                                double loss, double samples_per_second, double eta_seconds,
                                int width, int columns) {
    const double fraction = total > 0 ? std::min(1.0, static_cast<double>(batch) / total) : 1.0;
    char counts[96], rest[96];
    std::snprintf(counts, sizeof counts, " %lld/%lld loss %.4f", static_cast<long long>(batch),
                  static_cast<long long>(total), loss);
    std::snprintf(rest, sizeof rest, " %s samples/s ETA %.0fs",
                  human_rate(samples_per_second).c_str(), std::ceil(eta_seconds));
    const std::string head = prefix.empty() ? "" : prefix + " ";
    std::string tail = std::string(counts) + rest;
    if (columns > 0) {
        // The first layout that fits in columns - 1: all figures with a bar of 10+ cells, all
        // figures without the bar, batch and loss with a bar of 5+ cells, batch and loss alone.
        auto cells = [&] { return columns - 1 - static_cast<int>(head.size() + tail.size()) - 2; };
        if (cells() >= 10) {
            width = std::min(width, cells());
        } else if (cells() + 2 >= 0) {
            width = 0;
        } else {
            tail = counts;
            width = cells() >= 5 ? std::min(width, cells()) : 0;
        }
    }
    std::string bar;
    if (width > 0) {
        const int filled = static_cast<int>(std::lround(fraction * width));
        bar = "[" + std::string(filled, '=') +
              (filled < width ? ">" + std::string(width - filled - 1, ' ') : "") + "]";
    } else if (!tail.empty() && tail[0] == ' ') {
        tail.erase(0, 1);
    }
    std::string line = head + bar + tail;
    if (columns > 0 && static_cast<int>(line.size()) > columns - 1) line.resize(columns - 1);
    return line;
}

}  // namespace descent::train
