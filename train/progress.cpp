// The progress bar. Drawing is throttled so that a 0.2 ms training step does not pay for a terminal
// write each batch; the ETA is the remaining batches at the epoch's mean batch time so far.
#include "descent/train/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "descent/core/error.hpp"

namespace descent::train {

namespace {
constexpr auto redraw_interval = std::chrono::milliseconds(100);

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

ProgressBar::ProgressBar(int64_t total, std::string prefix, std::ostream& os, bool tty)
    : total_(total),
      prefix_(std::move(prefix)),
      os_(os),
      tty_(tty),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - redraw_interval) {
    DESCENT_CHECK(total >= 0, ValueError, "ProgressBar(): total must be >= 0, got ", total);
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
    os_ << '\r' << render(prefix_, batch, total_, loss, samples_per_second(), eta) << "\033[K"
        << std::flush;
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
                                int width) {
    const double fraction = total > 0 ? std::min(1.0, static_cast<double>(batch) / total) : 1.0;
    const int filled = static_cast<int>(std::lround(fraction * width));
    std::string bar = "[" + std::string(filled, '=') +
                      (filled < width ? ">" + std::string(width - filled - 1, ' ') : "") + "]";
    char buf[160];
    std::snprintf(buf, sizeof buf, " %lld/%lld loss %.4f %s samples/s ETA %.0fs",
                  static_cast<long long>(batch), static_cast<long long>(total), loss,
                  human_rate(samples_per_second).c_str(), std::ceil(eta_seconds));
    return (prefix.empty() ? "" : prefix + " ") + bar + buf;
}

}  // namespace descent::train
