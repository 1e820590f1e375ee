// Lab `minima` in quick mode: the well's critical points are the roots of f'(x), GD ends on the
// side of the barrier it starts on, momentum carries some starts over it, every start moves as
// it would alone in the batched run, and the tables and pictures are valid files.
#include "lab_minima.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

using namespace lab::minima;

namespace {
Result quick_run(lab::Output& out) {
    Options o;
    o.common.quick = true;
    return run_minima(o, out);
}
double slope(double x) { return 4 * x * x * x - 4 * x + 0.3; }
}  // namespace

TEST_CASE("lab minima: the minima and the barrier are the three roots of f prime") {
    const Well w = well();
    CHECK(std::fabs(slope(w.x_global)) < 1e-12);
    CHECK(std::fabs(slope(w.x_barrier)) < 1e-12);
    CHECK(std::fabs(slope(w.x_local)) < 1e-12);
    CHECK(w.x_global < w.x_barrier);
    CHECK(w.x_barrier < w.x_local);
    // Minima where f'' = 12x² − 4 > 0, the barrier where it is < 0; the global one is lower.
    CHECK(12 * w.x_global * w.x_global - 4 > 0);
    CHECK(12 * w.x_local * w.x_local - 4 > 0);
    CHECK(12 * w.x_barrier * w.x_barrier - 4 < 0);
    CHECK(w.f_global < w.f_local);
    CHECK(w.f_barrier > w.f_local);
    // The tilt 0.3x moves the minima of (x² − 1)² off ±1 by about 0.3 / f''(±1) = 0.3/8.
    CHECK(w.x_global == doctest::Approx(-1 - 0.3 / 8).epsilon(0.01));
    CHECK(w.x_local == doctest::Approx(1 - 0.3 / 8).epsilon(0.01));
}

TEST_CASE("lab minima: GD never crosses the barrier, momentum carries some starts over it") {
    std::ostringstream log;
    lab::Output none("", "minima", log);
    const Result r = quick_run(none);
    REQUIRE(r.runs.size() == size_t(kinds));
    const double barrier = r.well.x_barrier, margin = 0.05;
    const Run& g = r.runs[gd];
    REQUIRE(g.ends.size() == 121);
    int right = 0, left = 0;
    for (const End& e : g.ends) {
        if (e.x0 > barrier + margin) {
            CHECK(e.basin == local);
            ++right;
        }
        if (e.x0 < barrier - margin) {
            CHECK(e.basin == global);
            ++left;
        }
    }
    CHECK(right > 0);
    CHECK(left > 0);
    CHECK(g.crossed_to_global == 0);
    CHECK(g.crossed_to_local == 0);
    // Momentum 0.9 at the same lr rolls some starts right of the barrier into the global minimum.
    const Run& m = r.runs[momentum];
    CHECK(m.lr == g.lr);
    CHECK(m.crossed_to_global > 0);
    CHECK(m.global > g.global);
    int counted = 0;
    for (const End& e : m.ends) counted += e.x0 > barrier && e.basin == global;
    CHECK(counted == m.crossed_to_global);
    // Every quick run converges to one of the two minima.
    for (const Run& run : r.runs) CHECK(run.neither == 0);
    for (const Run& run : r.runs) CHECK(run.global + run.local + run.neither == 121);
}

TEST_CASE("lab minima: each start of the batched run moves exactly as it would alone") {
    // The loss is a sum over starts and every optimizer here is per coordinate, so one start run
    // alone ends where it ends among all the others; hence also the basin depends on x0 alone.
    const std::vector<double> starts = {1.8, 1.2, 0.4, -1.0, -1.8, 0.6, 1.8, -0.3};
    for (int k = 0; k < kinds; ++k) {
        const Options o;
        const std::vector<double> all = descend(k, o.lr[k], starts, 150);
        for (size_t s = 0; s < starts.size() / 2; ++s) {
            const std::vector<double> alone =
                descend(k, o.lr[k], {starts[2 * s], starts[2 * s + 1]}, 150);
            CHECK(alone[0] == doctest::Approx(all[2 * s]).epsilon(1e-6));
            CHECK(alone[1] == doctest::Approx(all[2 * s + 1]).epsilon(1e-6));
        }
    }
    std::ostringstream log;
    lab::Output none("", "minima", log);
    for (const Run& run : quick_run(none).runs) CHECK(run.depends_on_x0_only);
}

TEST_CASE("lab minima writes its tables and valid pictures") {
    const std::string dir = "/tmp/descent_lab_minima_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "minima", log);
    quick_run(out);
    out.commit();
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 3 + 5 * 2);
    for (const char* name :
         {"basins_gd", "basins_momentum", "basins_adam", "basins_rmsprop", "strips"}) {
        CHECK(test::png_size(out.path(name, "png")).width == 800);
        CHECK(test::valid_svg(out.path(name, "svg")));
    }
    const std::string basins = test::file_bytes(out.path("basins", "csv"));
    CHECK(basins.find("start_x,start_y,optimizer,end_x,end_y,basin\n-2,-1.5,0,") == 0);
    CHECK(std::count(basins.begin(), basins.end(), '\n') == 1 + 4 * 121);
    CHECK(out.lessons().size() == 4);
    CHECK(log.str().find("lesson: f = (x^2-1)^2 + 0.3x + y^2: global minimum at x = -1.03") == 0);
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab minima refuses a grid below 2 or a learning rate missing") {
    Options o;
    o.grid = 1;
    lab::Output none("", "minima");
    CHECK_ERROR(descent::ValueError, [&] { run_minima(o, none); },
                {"descent_lab minima", "grid 1"});
    o = Options();
    o.lr = {0.1};
    CHECK_ERROR(descent::ValueError, [&] { run_minima(o, none); }, {"1 given"});
}
