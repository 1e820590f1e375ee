// The lr lab in quick mode: on the quadratic the lr past 2/L diverges and is caught with a finite
// curve, the small lr ends above the good one; the MLP's too-large lr explodes; the range test's
// suggestion lies inside its sweep, below the lrs that diverged, and trains past the small lr;
// and its files are valid.
#include "lab_lr.hpp"

#include <unistd.h>

#include <cmath>
#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

using lab::lr::Options;
using lab::lr::Result;
using lab::lr::Run;

namespace {

bool all_finite(const std::vector<double>& v) {
    for (double x : v)
        if (!std::isfinite(x)) return false;
    return true;
}

}  // namespace

TEST_CASE("lab lr: too small, good and too large on a quadratic and an MLP, and the range test") {
    const std::string dir = "/tmp/descent_lab_lr_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "lr", log);
    Options o;
    o.common.quick = true;
    const Result r = lab::lr::run_lr(o, out);
    out.commit();

    // The quadratic: stable iff lr < 2/L.
    CHECK(r.limit == doctest::Approx(2 / o.L));
    REQUIRE(o.quad_small < r.limit);
    REQUIRE(o.quad_good < r.limit);
    REQUIRE(o.quad_large > r.limit);
    for (const Run* run : {&r.quad_small, &r.quad_good}) {
        CHECK_FALSE(run->diverged);
        REQUIRE(!run->loss.empty());
        // Below 2/L every mode contracts: the loss falls at every step.
        for (size_t s = 1; s < run->loss.size(); ++s) CHECK(run->loss[s] < run->loss[s - 1]);
    }
    CHECK(r.quad_small.final_loss > r.quad_good.final_loss);
    // The too-large lr is caught (and reported), its curve cut before the bad value.
    CHECK(r.quad_large.diverged);
    CHECK(r.quad_large.stopped);
    CHECK(r.quad_large.diverged_at >= 2);
    CHECK(r.quad_large.loss.size() == static_cast<size_t>(r.quad_large.diverged_at - 1));
    CHECK(all_finite(r.quad_large.loss));
    CHECK(r.quad_large.reason.find("diverges") != std::string::npos);
    CHECK(std::isnan(r.quad_large.final_loss));
    // The range test on the quadratic stays below the limit it was not told.
    CHECK(r.quad_range.suggested_lr < r.limit);

    // The MLP: the too-large lr explodes (the guard fires) yet its whole curve is finite; the
    // small and good ones do not.
    CHECK(r.mlp_large.diverged);
    CHECK(all_finite(r.mlp_large.loss));
    CHECK_FALSE(r.mlp_small.diverged);
    CHECK_FALSE(r.mlp_good.diverged);
    CHECK(r.mlp_good.final_loss < r.mlp_small.final_loss);

    // The range test: inside its sweep, below the lr that diverged, and it trains.
    const auto& range = r.range;
    REQUIRE(!range.lrs.empty());
    CHECK(all_finite(range.losses));
    CHECK(all_finite(range.smoothed));
    CHECK(range.suggested_lr >= o.start_lr);
    CHECK(range.suggested_lr <= range.lrs.back());
    CHECK(range.suggested_lr < o.mlp_large);
    if (range.diverged) CHECK(range.suggested_lr < range.lrs.back());
    CHECK(r.mlp_suggested.lr == range.suggested_lr);
    CHECK_FALSE(r.mlp_suggested.diverged);
    CHECK(r.mlp_suggested.final_loss < r.mlp_small.final_loss);
    CHECK(out.lessons().size() == 3);

    CHECK(test::file_bytes(out.path("quadratic", "csv")).rfind("lr,step,loss\n", 0) == 0);
    CHECK(test::file_bytes(out.path("mlp", "csv")).rfind("lr,step,loss\n", 0) == 0);
    CHECK(test::file_bytes(out.path("range", "csv")).rfind("lr,loss,smoothed\n", 0) == 0);
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 9);
    for (const char* name : {"quadratic", "mlp", "range"}) {
        CHECK(test::png_size(out.path(name, "png")).width == 800);
        CHECK(test::valid_svg(out.path(name, "svg")));
    }
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab lr refuses a batch larger than its images and a non-positive lr") {
    lab::Output none("", "lr");
    Options o;
    o.images = 10;
    o.batch = 64;
    CHECK_ERROR(descent::ValueError, [&] { lab::lr::run_lr(o, none); },
                {"run_lr()", "batch 64", "images 10"});
    Options bad;
    bad.quad_good = -1;
    CHECK_ERROR(descent::ValueError, [&] { lab::lr::run_lr(bad, none); },
                {"run_lr()", "lr", "-1"});
}
