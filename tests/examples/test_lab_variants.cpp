// The variants lab (batch vs stochastic vs mini-batch SGD) in quick mode: its lesson asserted on
// the numbers it returns, and the CSV tables and pictures it writes.
#include "lab_variants.hpp"

#include <unistd.h>

#include <cmath>
#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

using lab::variants::Options;
using lab::variants::Variant;

TEST_CASE("lab variants: per epoch, stochastic and mini-batch SGD end below full batch") {
    Options o;
    o.common.quick = true;
    std::ostringstream log;
    lab::Output none("", "variants", log);
    const auto r = lab::variants::run_variants(o, none);
    REQUIRE(r.variants.size() == o.batch_sizes.size() + 1);
    const Variant& full = r.variants.back();
    CHECK(full.batch_size == r.samples);
    for (const Variant& v : r.variants) {
        REQUIRE(v.epoch_loss.size() == full.epoch_loss.size());
        // Every epoch is one pass: ceil(N / B) steps and N samples.
        const int64_t steps = (r.samples + v.batch_size - 1) / v.batch_size;
        CHECK(v.curve.back().updates == steps * static_cast<int64_t>(v.epoch_loss.size()));
        CHECK(v.curve.back().samples == r.samples * static_cast<int64_t>(v.epoch_loss.size()));
        CHECK(v.curve.front().loss == doctest::Approx(full.curve.front().loss));  // same start
        if (&v != &full) {
            INFO(v.name);
            CHECK(v.epoch_loss.back() < full.epoch_loss.back());
        }
    }
    // Full-batch GD at this rate is smooth: its loss falls every epoch.
    for (size_t e = 1; e < full.epoch_loss.size(); ++e)
        CHECK(full.epoch_loss[e] < full.epoch_loss[e - 1]);
    CHECK(log.str().find("lesson: after 10 epochs") == 0);
}

TEST_CASE("lab variants: the noise of a step shrinks with the batch, batch 1 the noisiest") {
    Options o;
    o.common.quick = true;
    std::ostringstream log;
    lab::Output none("", "variants", log);
    const auto r = lab::variants::run_variants(o, none);
    const Variant& one = r.variants.front();
    const Variant& full = r.variants.back();
    REQUIRE(one.batch_size == 1);
    // Measured as for every variant; at full batch the minibatch is all the data, so only the
    // float rounding of a shuffled sum is left.
    CHECK(full.noise_updates == 3);
    CHECK(full.noise_rms < 1e-4);
    CHECK(one.noise_rms > 100 * full.noise_rms);
    for (size_t i = 1; i < r.variants.size(); ++i)
        CHECK(r.variants[i].noise_rms < r.variants[i - 1].noise_rms);
    // Batch 1 goes uphill on the full-data loss on a good share of its steps; full batch never.
    CHECK(one.uphill > 0.2);
    CHECK(full.uphill == 0);
}

TEST_CASE("lab variants writes its tables and three valid pictures") {
    Options o;
    o.common.quick = true;
    o.batch_sizes = {1, 32};
    const std::string dir = "/tmp/descent_lab_variants_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "variants", log);
    const auto r = lab::variants::run_variants(o, out);
    out.commit();
    CHECK(r.variants.size() == 3);
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 2 + 3 * 2);
    for (const char* name : {"epochs", "samples", "seconds"}) {
        CHECK(test::png_size(out.path(name, "png")).width == 800);
        CHECK(test::valid_svg(out.path(name, "svg")));
    }
    const std::string summary = test::file_bytes(out.path("summary", "csv"));
    CHECK(summary.find("batch_size,final_loss,relative_noise_rms,uphill_fraction") == 0);
    CHECK(std::count(summary.begin(), summary.end(), '\n') == 4);  // header and 3 variants
    CHECK(test::file_bytes(out.path("curves", "csv")).find("batch_size,epoch,updates") == 0);
    CHECK(out.lessons().size() == 3);
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab variants refuses a batch size below 1 before any work") {
    Options o;
    o.common.quick = true;
    o.batch_sizes = {0};
    lab::Output none("", "variants");
    CHECK_ERROR(descent::ValueError, [&] { lab::variants::run_variants(o, none); },
                {"batch size 0", "[1, 255]"});
}
