// Lab `init` in quick mode: too small a Gaussian makes the activations vanish with depth, too
// large makes them explode, Kaiming keeps them level and trains past the too-small init; its
// CSV tables and pictures are valid files.
#include "lab_init.hpp"

#include <unistd.h>

#include <cmath>
#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

TEST_CASE("lab init: std 0.01 vanishes, std 1 explodes, Kaiming stays level and trains further") {
    const std::string dir = "/tmp/descent_lab_init_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "init", log);
    lab::InitOptions o;
    o.quick = true;
    const lab::InitResult r = lab::run_init(o, out);
    out.commit();

    for (const lab::InitRun* run : {&r.small, &r.large, &r.xavier, &r.kaiming}) {
        REQUIRE(run->activation_std.size() == static_cast<size_t>(o.depth));
        REQUIRE(run->grad_norm.size() == static_cast<size_t>(o.depth));
    }
    auto ratio = [](const lab::InitRun& run) {
        return run.activation_std.back() / run.activation_std.front();
    };
    // Each ReLU layer scales the std by ~0.01·√(128/2) = 0.08 (theory: 0.08^9 ≈ 1e-10 over 9).
    CHECK(ratio(r.small) < 1e-3);
    CHECK(r.small.grad_norm.front() < 1e-4 * r.kaiming.grad_norm.front());
    // ... and by ~√(128/2) = 8 with std 1.
    CHECK(ratio(r.large) > 1e3);
    // Kaiming's gain √2 undoes ReLU's halving of the variance: level within a modest band.
    CHECK(ratio(r.kaiming) > 0.25);
    CHECK(ratio(r.kaiming) < 4);
    // Xavier (gain 1) halves the variance per ReLU: it shrinks, but far less than std 0.01.
    CHECK(ratio(r.xavier) < ratio(r.kaiming));
    CHECK(ratio(r.xavier) > ratio(r.small));
    // After the same steps on the same batches Kaiming is well below the too-small init, which
    // stays near chance (ln 10).
    REQUIRE(r.kaiming.diverged_at == 0);
    REQUIRE(r.small.diverged_at == 0);
    CHECK(r.kaiming.final_loss < r.small.final_loss - 0.3);
    CHECK(std::fabs(r.small.final_loss - std::log(10.0)) < 0.1);
    CHECK(out.lessons().size() == 4);

    CHECK(test::file_bytes(out.path("layers", "csv")).rfind("layer,act_std_small,", 0) == 0);
    CHECK(test::file_bytes(out.path("loss", "csv")).rfind("step,loss_small,", 0) == 0);
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 8);
    for (const char* name : {"activations", "gradients", "loss"}) {
        CHECK(test::png_size(out.path(name, "png")).width == 800);
        CHECK(test::valid_svg(out.path(name, "svg")));
    }
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab init refuses a batch larger than its images") {
    lab::Output none("", "init");
    lab::InitOptions o;
    o.images = 10;
    o.batch = 64;
    CHECK_ERROR(descent::ValueError, [&] { lab::run_init(o, none); }, {"batch", "64", "10"});
}
