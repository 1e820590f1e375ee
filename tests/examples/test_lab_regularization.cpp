// Lab `regularization` in quick mode: L1's proximal step zeroes weights exactly where L2, no
// penalty and the plain L1 subgradient zero none, it generalises better on the sparse truth, and
// its CSV tables and pictures are valid files.
#include "lab_regularization.hpp"

#include <unistd.h>

#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

TEST_CASE("lab regularization: L1 zeroes weights exactly, L2 and none do not, L1 validates best") {
    const std::string dir = "/tmp/descent_lab_regularization_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "regularization", log);
    lab::RegularizationOptions o;
    o.quick = true;
    const lab::RegularizationResult r = lab::run_regularization(o, out);
    out.commit();

    CHECK(r.true_weights.size() == 100);
    // The lesson: exact zeros come from the proximal step only.
    CHECK(r.l1.zeros > r.l2.zeros);
    CHECK(r.l1.zeros > r.none.zeros);
    CHECK(r.l1.zeros > r.l1_subgradient.zeros);
    CHECK(r.l1.zeros >= 50);  // most of the 95 irrelevant weights
    CHECK(r.l2.min_abs > 0);
    for (size_t j = 0; j < 5; ++j) CHECK(r.l1.weights[j] != 0.0f);  // the features that matter
    // Without a penalty the 30 samples are fitted to the noise, and validation pays for it.
    CHECK(r.none.train_loss.back() < r.l1.train_loss.back());
    CHECK(r.none.val_loss.back() > r.none.train_loss.back() * 10);
    CHECK(r.l1.val_loss.back() < 0.5 * r.none.val_loss.back());
    CHECK(r.l1.val_loss.back() < 0.5 * r.l2.val_loss.back());
    CHECK(r.l1.val_loss.back() > r.noise_floor * 0.5);  // no run beats the noise by much
    CHECK(r.none.train_loss.size() == r.l1.val_loss.size());
    CHECK(out.lessons().size() == 3);

    CHECK(test::file_bytes(out.path("curves", "csv")).rfind("epoch,train_none,val_none,", 0) == 0);
    CHECK(test::file_bytes(out.path("weights", "csv")).rfind("feature,true,none,l2,l1,", 0) == 0);
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 6);
    for (const char* name : {"weights", "curves"}) {
        CHECK(test::png_size(out.path(name, "png")).width == 800);
        CHECK(test::valid_svg(out.path(name, "svg")));
    }
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab regularization refuses a count of informative features not below the features") {
    lab::Output none("", "regularization");
    lab::RegularizationOptions o;
    o.informative = 100;
    CHECK_ERROR(descent::ValueError, [&] { lab::run_regularization(o, none); },
                {"informative", "100"});
}
