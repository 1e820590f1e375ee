// The progress bar: its rendered text, silence off a terminal, erasing itself on one, and fitting
// a real pseudo-terminal of 60, 80 and 120 columns, also after the terminal is resized.
#include "descent/train/progress.hpp"

#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "support.hpp"

using namespace descent;

TEST_CASE("ProgressBar renders batch, loss, rate and ETA") {
    const std::string half =
        train::ProgressBar::render("epoch 2/5", 50, 100, 0.4321, 123456.0, 3.2, 10);
    CHECK(half == "epoch 2/5 [=====>    ] 50/100 loss 0.4321 123.5k samples/s ETA 4s");
    const std::string done = train::ProgressBar::render("", 100, 100, 0.1, 2.5e6, 0.0, 10);
    CHECK(done == "[==========] 100/100 loss 0.1000 2.50M samples/s ETA 0s");
}

TEST_CASE("ProgressBar is silent when not a terminal and erases itself on one") {
    std::ostringstream quiet;
    {
        train::ProgressBar bar(3, "x", quiet, /*tty=*/false);
        for (int b = 1; b <= 3; ++b) bar.update(b, 10, 1.0 * b);
        CHECK(bar.mean_loss() == doctest::Approx(2.0));
    }
    CHECK(quiet.str().empty());

    std::ostringstream term;
    train::ProgressBar bar(2, "x", term, /*tty=*/true);
    bar.update(1, 4, 0.5);   // first batch draws
    bar.update(2, 4, 0.25);  // the last batch always draws
    bar.finish();
    const std::string out = term.str();
    CHECK(out.find("1/2 loss 0.5000") != std::string::npos);
    CHECK(out.find("2/2 loss 0.3750") != std::string::npos);  // the epoch's running mean
    CHECK(out.substr(out.size() - 4) == "\r\033[K");
    CHECK(bar.mean_loss() == doctest::Approx(0.375));
}

TEST_CASE("ProgressBar::render fits the columns it is given") {
    for (int columns : {20, 40, 60, 80, 120}) {
        const std::string line = train::ProgressBar::render("epoch 10/10", 937, 938, 0.1234,
                                                            123456.0, 12.0, 24, columns);
        CAPTURE(columns);
        CAPTURE(line);
        CHECK(static_cast<int>(line.size()) <= columns - 1);
        if (columns >= 60) CHECK(line.find("samples/s ETA 12s") != std::string::npos);
        if (columns >= 80) CHECK(line.find("[==") != std::string::npos);
        if (columns >= 40) CHECK(line.find("937/938 loss 0.1234") != std::string::npos);
    }
    CHECK(train::ProgressBar::render("", 1, 2, 0.5, 10.0, 1.0, 24, 120).find('[') == 0);
    CHECK_ERROR(ValueError, [] { train::ProgressBar(3, "x", std::cout, true, -1); },
                {"ProgressBar()", "columns", "-1"});
}

namespace {
// Runs a progress bar on std::cout in a child whose stdout is a pseudo-terminal `columns` wide;
// with resize_to > 0 the child narrows its terminal half way (the kernel sends it SIGWINCH).
// Returns what the terminal received, split into the lines the bar drew after the resize.
std::vector<std::string> drawn_lines(int columns, int resize_to) {
    struct winsize ws {};
    ws.ws_col = static_cast<unsigned short>(columns);
    ws.ws_row = 24;
    int master = -1;
    std::cout.flush();  // the child would write out what is still buffered
    std::fflush(nullptr);
    const pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
    REQUIRE(pid >= 0);
    if (pid == 0) {
        train::ProgressBar bar(6, "epoch 1/10");
        for (int b = 1; b <= 6; ++b) {
            if (b == 4 && resize_to > 0) {
                struct winsize narrow = ws;
                narrow.ws_col = static_cast<unsigned short>(resize_to);
                ioctl(STDOUT_FILENO, TIOCSWINSZ, &narrow);
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                std::cout << "\nRESIZED\n" << std::flush;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(110));  // past the throttle
            bar.update(b, 64, static_cast<double>(b));
        }
        bar.finish();
        std::cout << "DONE\n" << std::flush;
        _exit(0);
    }
    std::string out;
    char buf[4096];
    for (;;) {
        const ssize_t n = read(master, buf, sizeof buf);
        if (n > 0)
            out.append(buf, static_cast<size_t>(n));
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break;  // EIO once the child has exited
    }
    close(master);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(out.find("DONE") != std::string::npos);
    if (resize_to > 0) {
        const auto at = out.find("RESIZED");
        REQUIRE(at != std::string::npos);
        out = out.substr(at + 7);
    }
    std::vector<std::string> lines;
    std::string line;
    for (size_t i = 0; i <= out.size(); ++i) {
        if (i == out.size() || out[i] == '\r' || out[i] == '\n') {
            if (!line.empty() && line.find("loss") != std::string::npos) lines.push_back(line);
            line.clear();
        } else if (out.compare(i, 3, "\033[K") == 0) {
            i += 2;
        } else {
            line += out[i];
        }
    }
    return lines;
}
}  // namespace

TEST_CASE("ProgressBar never draws a line wider than a real terminal, and follows a resize") {
    for (int columns : {60, 80, 120}) {
        CAPTURE(columns);
        const std::vector<std::string> lines = drawn_lines(columns, 0);
        REQUIRE(lines.size() >= 3);
        for (const std::string& l : lines) {
            CAPTURE(l);
            CHECK(static_cast<int>(l.size()) < columns);
        }
        // Batches 1..6 had losses 1..6: the last bar shows their running mean, 3.5.
        CHECK(lines.back().find("6/6 loss 3.5000") != std::string::npos);
    }
    const std::vector<std::string> after = drawn_lines(120, 50);
    REQUIRE(!after.empty());
    for (const std::string& l : after) {
        CAPTURE(l);
        CHECK(static_cast<int>(l.size()) < 50);
    }
}
