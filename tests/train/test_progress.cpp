// The progress bar: its rendered text, silence off a terminal, and erasing itself on one.
#include "descent/train/progress.hpp"

#include <sstream>

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
    CHECK(out.find("2/2 loss 0.2500") != std::string::npos);
    CHECK(out.substr(out.size() - 4) == "\r\033[K");
    CHECK(bar.mean_loss() == doctest::Approx(0.375));
}
