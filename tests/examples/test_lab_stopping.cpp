// The stopping lab in quick mode: each rule stops at the epoch its definition gives, recomputed
// here by a naive loop over the returned per-epoch losses; the run overfits, so stopping early
// saves epochs and keeps a lower validation loss; and its files are valid.
#include "lab_stopping.hpp"

#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

using lab::stopping::Options;
using lab::stopping::Result;

namespace {

Result quick_run(lab::Output& out) {
    Options o;
    o.common.quick = true;
    return lab::stopping::run_stopping(o, out);
}

// Patience / min_delta by hand: an epoch improves when it beats the best so far by more than
// min_delta; stop at the epoch (1-based) that makes `patience` non-improving epochs in a row.
int patience_stop(const std::vector<double>& val, int64_t patience, double min_delta) {
    double best = 1e300;
    int64_t bad = 0;
    for (size_t e = 0; e < val.size(); ++e) {
        if (val[e] < best - min_delta)
            best = val[e], bad = 0;
        else if (++bad == patience)
            return static_cast<int>(e) + 1;
    }
    return 0;
}

}  // namespace

TEST_CASE("lab stopping: early stopping stops at the epoch the patience rule says") {
    std::ostringstream log;
    lab::Output none("", "stopping", log);
    const Result r = quick_run(none);
    REQUIRE(r.val_loss.size() == 400);
    REQUIRE(r.train_loss.size() == 400);
    const int expected = patience_stop(r.val_loss, r.patience, r.min_delta);
    REQUIRE(expected > 0);
    CHECK(r.patience_rule.stop_epoch == expected);
    CHECK(r.patience_rule.stop_val == r.val_loss[expected - 1]);
    // Its best is the last epoch that improved: `patience` epochs before the stop, and the lowest
    // validation loss up to the stop.
    CHECK(r.patience_rule.best_epoch == expected - r.patience);
    CHECK(r.patience_rule.best_val <=
          *std::min_element(r.val_loss.begin(), r.val_loss.begin() + expected) + r.min_delta);
    CHECK(r.patience_rule.reason.find("no improvement by more than") == 0);
}

TEST_CASE("lab stopping: the target rule stops at the first epoch whose train loss <= target") {
    std::ostringstream log;
    lab::Output none("", "stopping", log);
    const Result r = quick_run(none);
    const auto first = std::find_if(r.train_loss.begin(), r.train_loss.end(),
                                    [&](double loss) { return loss <= r.target; });
    REQUIRE(first != r.train_loss.end());
    CHECK(r.target_rule.stop_epoch == static_cast<int>(first - r.train_loss.begin()) + 1);
    CHECK(r.target == doctest::Approx(0.3 * 0.3));  // the default: the noise variance
    CHECK(r.target_rule.reason.find("target") == 0);
}

TEST_CASE("lab stopping: the run overfits, so stopping early saves epochs at a lower val loss") {
    std::ostringstream log;
    lab::Output none("", "stopping", log);
    const Result r = quick_run(none);
    const int end = static_cast<int>(r.val_loss.size());
    CHECK(r.best_val == *std::min_element(r.val_loss.begin(), r.val_loss.end()));
    // Overfitting: after the best epoch the validation loss rises while the train loss falls.
    CHECK(r.best_epoch < end);
    CHECK(r.val_loss.back() > r.best_val);
    CHECK(r.train_loss.back() < r.train_loss[r.best_epoch - 1]);
    CHECK(r.train_loss.back() < r.target);  // below the noise level
    // Both rules stop before the end; the patience rule's kept (best) weights validate better
    // than the last ones.
    CHECK(r.patience_rule.stop_epoch < end);
    CHECK(r.target_rule.stop_epoch < end);
    CHECK(r.patience_rule.best_val < r.val_loss.back());
    CHECK(log.str().find("lesson: trained to the end") == 0);
}

TEST_CASE("lab stopping writes its tables and a valid picture") {
    const std::string dir = "/tmp/descent_lab_stopping_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "stopping", log);
    const Result r = quick_run(out);
    out.commit();
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 4);
    CHECK(test::png_size(out.path("losses", "png")).width == 800);
    CHECK(test::valid_svg(out.path("losses", "svg")));
    const std::string losses = test::file_bytes(out.path("losses", "csv"));
    CHECK(losses.find("epoch,train_loss,val_loss,patience_stop,target_stop,best_val\n1,") == 0);
    CHECK(std::count(losses.begin(), losses.end(), '\n') == 1 + 400);
    const std::string stops = test::file_bytes(out.path("stops", "csv"));
    CHECK(stops.find("stop_epoch,val_at_stop,best_epoch,val_at_best\n" +
                     std::to_string(r.patience_rule.stop_epoch) + ",") == 0);
    CHECK(out.lessons().size() == 3);
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab stopping refuses a patience below 1") {
    Options o;
    o.patience = 0;
    lab::Output none("", "stopping");
    CHECK_ERROR(descent::ValueError, [&] { lab::stopping::run_stopping(o, none); },
                {"descent_lab stopping", "patience 0"});
}
