// Lab `newton` in quick mode: the Hessian-vector product of descent's double backward equals A v
// on a quadratic, one Newton-CG step lands on A⁻¹b (Gaussian elimination's answer), gradient
// descent needs many steps where Newton needs few, and the pictures are valid files.
#include "lab_newton.hpp"

#include <unistd.h>

#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

TEST_CASE("lab newton: one Newton step solves the quadratic, where GD needs many more steps") {
    const std::string dir = "/tmp/descent_lab_newton_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "newton", log);
    lab::NewtonOptions o;
    o.quick = true;
    const lab::NewtonResult r = lab::run_newton(o, out);
    out.commit();

    // Hv by double backward is A v, and the Hessian built from n of them is A (float32 rounding).
    CHECK(r.hvp_error < 1e-5);
    CHECK(r.hessian_error < 1e-5);
    // The lesson: Newton converges on a quadratic in one step.
    CHECK(r.quad_newton.converged);
    CHECK(r.quad_newton.steps == 1);
    CHECK(r.quad_g1 <= o.tol * r.quad_newton.g0);
    CHECK(r.quad_x_error < 1e-4);
    CHECK(r.full_vs_cg < 1e-3);  // the full Newton step and the CG step agree
    // Gradient descent at lr = 1/L: about cond * ln(1/tol) steps, far more than Newton's one.
    CHECK(r.quad_gd.converged);
    CHECK(r.quad_gd.steps > 100 * r.quad_newton.steps);
    // Logistic regression: Newton-CG in fewer steps than GD, both converged.
    CHECK(r.logit_newton.converged);
    CHECK(r.logit_gd.converged);
    CHECK(r.logit_newton.steps < r.logit_gd.steps);
    CHECK(r.logit_newton.hvps > 0);

    REQUIRE(descent::study::gnuplot_available());
    for (const std::string& f : out.files()) {
        if (f.size() > 4 && f.substr(f.size() - 4) == ".png") CHECK(test::png_size(f).width > 0);
        if (f.size() > 4 && f.substr(f.size() - 4) == ".svg") CHECK(test::valid_svg(f));
    }
    CHECK(out.files().size() >= 4);
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}
