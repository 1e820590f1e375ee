// Lab `optimizers` in quick mode: GD's first step is x - lr·∇f by hand, momentum and Adam end
// lower than GD on the ill-conditioned quadratic after the same steps, L-BFGS gets far lower
// than GD on Rosenbrock, and the tables and pictures are valid files.
#include "lab_optimizers.hpp"

#include <unistd.h>

#include <cmath>
#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

using namespace lab::optimizers;

namespace {
Result quick_run(lab::Output& out) {
    Options o;
    o.common.quick = true;
    return run_optimizers(o, out);
}
}  // namespace

TEST_CASE("lab optimizers: GD's first step is x minus lr times the gradient, by hand") {
    std::ostringstream log;
    lab::Output none("", "optimizers", log);
    const Options o;
    const Result r = quick_run(none);
    // Quadratic ½(x² + 50y²): ∇f = (x, 50y).
    const Path& q = r.quadratic.paths[gd];
    REQUIRE(q.x.size() == size_t(o.quad_steps) + 1);
    const double lr = o.quad_lr[gd];
    CHECK(q.x[0] == -1.5);
    CHECK(q.y[0] == 1.0);
    CHECK(q.loss[0] == doctest::Approx(0.5 * (1.5 * 1.5 + 50)));
    CHECK(q.x[1] == doctest::Approx(-1.5 - lr * -1.5).epsilon(1e-6));
    CHECK(q.y[1] == doctest::Approx(1.0 - lr * 50 * 1.0).epsilon(1e-6));
    // Rosenbrock: ∇f = (-2(1-x) - 400x(y-x²), 200(y-x²)).
    const Path& b = r.rosenbrock.paths[gd];
    const double x = -1.5, y = 2, blr = o.rosen_lr[gd];
    CHECK(b.x[1] ==
          doctest::Approx(x - blr * (-2 * (1 - x) - 400 * x * (y - x * x))).epsilon(1e-6));
    CHECK(b.y[1] == doctest::Approx(y - blr * 200 * (y - x * x)).epsilon(1e-6));
    CHECK(b.loss.size() == 301);  // quick: 300 steps
}

TEST_CASE("lab optimizers: momentum and Adam beat GD on the ill-conditioned quadratic") {
    std::ostringstream log;
    lab::Output none("", "optimizers", log);
    const Result r = quick_run(none);
    const auto& q = r.quadratic.paths;
    for (const Path& p : q) CHECK(p.x.size() == q[gd].x.size());  // same steps, none diverged
    CHECK(!q[gd].diverged);
    CHECK(q[momentum].final_loss() < q[gd].final_loss());
    CHECK(q[nesterov].final_loss() < q[gd].final_loss());
    CHECK(q[adam].final_loss() < q[gd].final_loss());
    // GD's loss falls every step at an lr below 2/50 (no overshoot that raises f).
    for (size_t i = 1; i < q[gd].loss.size(); ++i) CHECK(q[gd].loss[i] < q[gd].loss[i - 1]);
}

TEST_CASE("lab optimizers: L-BFGS reaches 1e-6 on Rosenbrock where GD is still far off") {
    std::ostringstream log;
    lab::Output none("", "optimizers", log);
    const Result r = quick_run(none);
    const auto& b = r.rosenbrock.paths;
    CHECK(b[lbfgs].steps_to_tol > 0);
    CHECK(b[lbfgs].final_loss() < 1e-6);
    CHECK(b[lbfgs].final_loss() < 1e-3 * b[gd].final_loss());
    CHECK(b[gd].steps_to_tol == -1);
    // L-BFGS ends at the minimum (1, 1).
    CHECK(std::fabs(b[lbfgs].x.back() - 1) < 1e-2);
    CHECK(std::fabs(b[lbfgs].y.back() - 1) < 1e-2);
    CHECK(b[lbfgs].evaluations_to_tol >= b[lbfgs].steps_to_tol);
}

TEST_CASE("lab optimizers: a divergence is detected, the path cut before it") {
    // Nesterov 0.9 on the quadratic needs 50 lr < 2(1.9)/2.8 = 1.36: lr 0.03 blows up.
    Options o;
    o.common.quick = true;
    o.quad_lr[nesterov] = 0.03;
    std::ostringstream log;
    lab::Output none("", "optimizers", log);
    const Result r = run_optimizers(o, none);
    const Path& p = r.quadratic.paths[nesterov];
    CHECK(p.diverged);
    CHECK(p.diverged_at > 0);
    CHECK(p.x.size() == size_t(p.diverged_at));
    for (double f : p.loss) CHECK(std::isfinite(f));
    CHECK(log.str().find("lesson: diverged (curve cut there): Nesterov 0.9 lr 0.03") !=
          std::string::npos);
}

TEST_CASE("lab optimizers writes its tables and valid pictures") {
    const std::string dir = "/tmp/descent_lab_optimizers_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "optimizers", log);
    quick_run(out);
    out.commit();
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 2 + 5 * 2);
    for (const char* name : {"quadratic", "rosenbrock", "quadratic_loss", "rosenbrock_loss"}) {
        CHECK(test::png_size(out.path(name, "png")).width == 800);
        CHECK(test::valid_svg(out.path(name, "svg")));
    }
    // One panel per optimizer, so that no path hides under another.
    CHECK(test::png_size(out.path("rosenbrock_each", "png")).width == 1400);
    CHECK(test::valid_svg(out.path("rosenbrock_each", "svg")));
    const std::string paths = test::file_bytes(out.path("paths", "csv"));
    CHECK(paths.find("problem,optimizer,step,x,y,loss\n0,0,0,-1.5,1,") == 0);
    CHECK(
        test::file_bytes(out.path("final", "csv")).find("problem,optimizer,lr,steps,final_loss") ==
        0);
    CHECK(out.lessons().size() >= 3);
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab optimizers refuses a missing or non-positive learning rate") {
    Options o;
    o.rosen_lr[adam] = 0;
    lab::Output none("", "optimizers");
    CHECK_ERROR(descent::ValueError, [&] { run_optimizers(o, none); },
                {"descent_lab optimizers", "learning rate"});
    o = Options();
    o.quad_lr.pop_back();
    CHECK_ERROR(descent::ValueError, [&] { run_optimizers(o, none); }, {"6 and 7 given"});
}
