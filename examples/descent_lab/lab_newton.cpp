// Lab "newton": Newton-CG, which needs only Hessian-vector products (one double backward each:
// Hv = d(g·v)/dx with g from autograd::grad under create_graph), against gradient descent with
// lr = 1/L, on an ill-conditioned quadratic (one Newton step) and on logistic regression.
#include "lab_newton.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "../cli.hpp"

namespace lab {
namespace {

using descent::Tensor;
namespace ag = descent::autograd;
using Loss = std::function<Tensor(const Tensor&)>;  // x (d, 1) -> a one-element loss

double dot(const Tensor& a, const Tensor& b) { return (a * b).sum().item(); }
double l2_norm(const Tensor& a) { return std::sqrt(dot(a, a)); }

// x as a fresh leaf, the loss there, and its gradient recorded (create_graph) so that it can be
// differentiated again.
struct Point {
    Tensor x, f, g;
};
Point at(const Loss& loss, const Tensor& x_value) {
    Point p;
    p.x = x_value.detach().clone().requires_grad_();
    p.f = loss(p.x);
    p.g = ag::grad({p.f}, {p.x}, {}, /*retain_graph=*/true, /*create_graph=*/true)[0];
    return p;
}

// H v = d(g·v)/dx: the second backward, through the graph of the first (kept by retain_graph).
Tensor hvp(const Point& p, const Tensor& v) {
    return ag::grad({(p.g * v).sum()}, {p.x}, {}, /*retain_graph=*/true)[0];
}

std::vector<double> doubles(const Tensor& t);

// Conjugate gradients on H p = −g with Hvps only: stops when |r| <= eta |g|, after max_iter
// iterations, or at a direction of non-positive curvature (then −g if it is the first). The CG
// vectors stay in double on the host: in float32 they lose conjugacy at condition 100, and n
// iterations no longer solve an n-dimensional quadratic. Only each Hvp is float32.
Tensor newton_cg_direction(const Point& pt, double eta, int max_iter, int64_t& hvps) {
    const descent::Shape shape = pt.g.shape();
    const std::vector<double> g = doubles(pt.g.detach());
    const size_t n = g.size();
    auto vdot = [](const std::vector<double>& a, const std::vector<double>& b) {
        double s = 0;
        for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
        return s;
    };
    std::vector<double> p(n, 0.0), r(n), d(n);
    for (size_t i = 0; i < n; ++i) r[i] = d[i] = -g[i];
    double rr = vdot(r, r);
    const double stop = eta * std::sqrt(rr);
    for (int j = 0; j < max_iter && std::sqrt(rr) > stop; ++j) {
        const std::vector<double> hd = doubles(hvp(pt, descent::tensor(d, shape)));
        ++hvps;
        const double curvature = vdot(d, hd);
        if (curvature <= 0) {
            if (j == 0) p = r;  // −g
            break;
        }
        const double alpha = rr / curvature;
        for (size_t i = 0; i < n; ++i) p[i] += alpha * d[i], r[i] -= alpha * hd[i];
        const double rr_new = vdot(r, r);
        for (size_t i = 0; i < n; ++i) d[i] = r[i] + (rr_new / rr) * d[i];
        rr = rr_new;
    }
    return descent::tensor(p, shape);
}

// One row of the trace CSV: problem (0 quadratic, 1 logistic), method (0 GD, 1 Newton-CG), step,
// loss, |g|, |g|/|g0|, and the work so far.
using Rows = std::vector<std::vector<double>>;
void trace(Rows& rows, int problem, int method, int64_t step, double f, const NewtonRun& run,
           double g) {
    rows.push_back({double(problem), double(method), double(step), f, g, g / run.g0,
                    double(run.grads), double(run.hvps), double(run.losses)});
}

// Newton-CG with a backtracking (Armijo) line search from the full step t = 1. `eta` is CG's
// relative residual: a fixed one, or (eta < 0) the superlinear forcing term min(0.5, sqrt|g|).
NewtonRun newton_cg(const Loss& loss, Tensor x, double tol, double eta, int max_steps,
                    Rows& rows, int problem, Tensor* x_out = nullptr) {
    NewtonRun run;
    // n iterations solve an n-dimensional quadratic exactly; float32 Hvps lose conjugacy, which
    // delays convergence, so CG may take up to 4n (each one Hvp).
    const int max_cg = 4 * static_cast<int>(x.numel());
    for (int64_t k = 0;; ++k) {
        Point p = at(loss, x);
        ++run.grads;
        const double gn = l2_norm(p.g.detach());
        if (k == 0) run.g0 = gn;
        run.g_final = gn;
        trace(rows, problem, 1, k, p.f.item(), run, gn);
        run.steps = k;
        if (gn <= tol * run.g0) {
            run.converged = true;
            break;
        }
        if (k == max_steps) break;
        const double forcing = eta >= 0 ? eta : std::min(0.5, std::sqrt(gn));
        const Tensor dir = newton_cg_direction(p, forcing, max_cg, run.hvps);
        // Armijo: f(x + t p) <= f(x) + 1e-4 t gᵀp. float32: a change below f's rounding (4 ulp)
        // counts as no increase, or the search would shrink t forever next to the minimum.
        const double f0 = p.f.item(), slope = dot(p.g.detach(), dir);
        const double slack = 4 * 1.2e-7 * std::fabs(f0);
        float t = 1;
        for (;; t *= 0.5f) {
            ++run.losses;
            ag::NoGradGuard no_grad;
            if (loss(x + dir * t).item() <= f0 + 1e-4 * t * slope + slack || t < 1e-6f) break;
        }
        x = (x + dir * t).detach();
    }
    if (x_out) *x_out = x;
    return run;
}

// Gradient descent x ← x − lr g until |g| <= tol |g0| or max_steps. The trace keeps every step
// up to 100 and then one in `stride`, so that the CSV and the picture stay small.
NewtonRun gradient_descent(const Loss& loss, Tensor x, double lr, double tol, int64_t max_steps,
                           Rows& rows, int problem) {
    NewtonRun run;
    const int64_t stride = std::max<int64_t>(1, max_steps / 400);
    for (int64_t k = 0;; ++k) {
        Tensor xl = x.detach().clone().requires_grad_();
        const Tensor f = loss(xl);
        const Tensor g = ag::grad({f}, {xl})[0];
        ++run.grads;
        const double gn = l2_norm(g);
        if (k == 0) run.g0 = gn;
        run.g_final = gn;
        run.steps = k;
        run.converged = gn <= tol * run.g0;
        if (k < 100 || k % stride == 0 || run.converged || k == max_steps)
            trace(rows, problem, 0, k, f.item(), run, gn);
        if (run.converged || k == max_steps) break;
        x = (x - g * static_cast<float>(lr)).detach();
    }
    return run;
}

// A x = b by Gaussian elimination with partial pivoting, in double: the reference solution.
std::vector<double> solve(std::vector<double> a, std::vector<double> b) {
    const size_t n = b.size();
    for (size_t c = 0; c < n; ++c) {
        size_t piv = c;
        for (size_t r = c + 1; r < n; ++r)
            if (std::fabs(a[r * n + c]) > std::fabs(a[piv * n + c])) piv = r;
        if (a[piv * n + c] == 0) throw descent::ValueError("newton: solve(): singular matrix");
        for (size_t k = 0; k < n; ++k) std::swap(a[c * n + k], a[piv * n + k]);
        std::swap(b[c], b[piv]);
        for (size_t r = c + 1; r < n; ++r) {
            const double m = a[r * n + c] / a[c * n + c];
            for (size_t k = c; k < n; ++k) a[r * n + k] -= m * a[c * n + k];
            b[r] -= m * b[c];
        }
    }
    std::vector<double> x(n);
    for (size_t i = n; i-- > 0;) {
        double s = b[i];
        for (size_t k = i + 1; k < n; ++k) s -= a[i * n + k] * x[k];
        x[i] = s / a[i * n + i];
    }
    return x;
}

std::vector<double> doubles(const Tensor& t) {
    const std::vector<float> v = t.to_vector();
    return {v.begin(), v.end()};
}
double rel_diff(const std::vector<double>& a, const std::vector<double>& b) {
    double d = 0, s = 0;
    for (size_t i = 0; i < a.size(); ++i) d += (a[i] - b[i]) * (a[i] - b[i]), s += b[i] * b[i];
    return std::sqrt(d / s);
}

// A = Q diag(λ) Qᵀ with λ log-spaced in [1, cond] and Q orthonormalised (Gram-Schmidt) from a
// Gaussian matrix; symmetric exactly, so that autograd's ½(A + Aᵀ)v is A v.
std::vector<double> spd_matrix(int n, double cond, descent::Generator& gen) {
    std::vector<double> q(n * n);
    for (double& v : q) v = gen.normal();
    for (int i = 0; i < n; ++i) {  // row i of q becomes the i-th orthonormal vector
        for (int j = 0; j < i; ++j) {
            double d = 0;
            for (int k = 0; k < n; ++k) d += q[i * n + k] * q[j * n + k];
            for (int k = 0; k < n; ++k) q[i * n + k] -= d * q[j * n + k];
        }
        double s = 0;
        for (int k = 0; k < n; ++k) s += q[i * n + k] * q[i * n + k];
        for (int k = 0; k < n; ++k) q[i * n + k] /= std::sqrt(s);
    }
    std::vector<double> a(n * n);
    for (int r = 0; r < n; ++r)
        for (int c = r; c < n; ++c) {
            double s = 0;
            for (int k = 0; k < n; ++k)
                s += q[k * n + r] * std::pow(cond, n > 1 ? double(k) / (n - 1) : 0) * q[k * n + c];
            a[r * n + c] = a[c * n + r] = s;
        }
    return a;
}

}  // namespace

NewtonResult run_newton(const NewtonOptions& o, Output& out) {
    NewtonResult res;
    descent::Generator gen(o.seed);
    Rows rows;

    // --- the quadratic ----------------------------------------------------------------------
    const int n = o.n;
    std::vector<double> a = spd_matrix(n, o.cond, gen), b(n);
    for (double& v : b) v = gen.normal();
    const Tensor A = descent::tensor(a, {n, n}), B = descent::tensor(b, {n, 1});
    const Loss quad = [&](const Tensor& x) {
        return descent::matmul(x.t(), descent::matmul(A, x)).sum() * 0.5f - (B * x).sum();
    };
    const Tensor x0 = descent::zeros({n, 1});
    // The reference uses the float32 A and b exactly as the tensors hold them.
    const std::vector<double> x_star = solve(doubles(A), doubles(B));

    // Hvp against A v for a few random v; and the Hessian built column by column from n Hvps.
    {
        const Point p = at(quad, x0);
        double worst = 0, scale = 0;
        for (int t = 0; t < 3; ++t) {
            Tensor v = descent::empty({n, 1});
            v.normal_(0, 1, gen);
            const Tensor hv = hvp(p, v), av = descent::matmul(A, v);
            for (int i = 0; i < n; ++i) {
                worst = std::max<double>(worst, std::fabs(hv.data()[i] - av.data()[i]));
                scale = std::max<double>(scale, std::fabs(av.data()[i]));
            }
        }
        res.hvp_error = worst / scale;
        std::vector<double> h(n * n);
        double herr = 0, amax = 0;
        for (int c = 0; c < n; ++c) {
            Tensor e = descent::zeros({n, 1});
            e.data()[c] = 1;
            const Tensor col = hvp(p, e);
            for (int r = 0; r < n; ++r) {
                h[r * n + c] = col.data()[r];
                herr = std::max(herr, std::fabs(h[r * n + c] - a[r * n + c]));
                amax = std::max(amax, std::fabs(a[r * n + c]));
            }
        }
        res.hessian_error = herr / amax;
        // Full Newton step p = −H⁻¹g against the Newton-CG step, both from x0.
        std::vector<double> minus_g = doubles(-p.g.detach());
        const std::vector<double> p_full = solve(h, minus_g);
        int64_t hvps = 0;
        const std::vector<double> p_cg = doubles(newton_cg_direction(p, 0.01 * o.tol, 4 * n, hvps));
        res.full_vs_cg = rel_diff(p_full, p_cg);
    }

    // Newton-CG: CG runs to a residual of tol/10 (at most n iterations); GD with lr = 1/L, L = cond.
    Tensor x_newton;
    res.quad_newton = newton_cg(quad, x0, o.tol, 0.1 * o.tol, 10, rows, 0, &x_newton);
    res.quad_g1 = rows.size() > 1 ? rows[1][4] : rows[0][4];
    res.quad_x_error = rel_diff(doubles(x_newton), x_star);
    res.quad_gd = gradient_descent(quad, x0, 1.0 / o.cond, o.tol, o.max_steps, rows, 0);

    // --- logistic regression: mean log(1 + exp(−y xᵀw)) + ½λ|w|² ------------------------------
    // Features scaled 1..10 (an ill-conditioned XᵀX), labels from a random w with 10% flipped.
    const int m = o.quick ? 200 : o.samples, d = o.quick ? 8 : o.features;
    const double lambda = 1e-3;
    std::vector<double> xs(m * d), ys(m), w_true(d);
    for (double& v : w_true) v = gen.normal();
    for (int i = 0; i < m; ++i) {
        double z = 0;
        for (int j = 0; j < d; ++j) {
            xs[i * d + j] = gen.normal() * std::pow(10.0, d > 1 ? double(j) / (d - 1) : 0) / 3;
            z += xs[i * d + j] * w_true[j];
        }
        ys[i] = ((z > 0) != (gen.uniform() < 0.1)) ? 1 : -1;
    }
    const Tensor X = descent::tensor(xs, {m, d}), Y = descent::tensor(ys, {m, 1});
    const Loss logit = [&](const Tensor& w) {
        const Tensor margin = Y * descent::matmul(X, w);
        return descent::nn::functional::softplus(-margin).mean() +
               (w * w).sum() * static_cast<float>(0.5 * lambda);
    };
    // L = λmax(XᵀX)/(4m) + λ bounds the Hessian (σ' <= 1/4); λmax by power iteration.
    std::vector<double> xtx(d * d, 0.0), v(d, 1.0);
    for (int i = 0; i < m; ++i)
        for (int r = 0; r < d; ++r)
            for (int c = 0; c < d; ++c) xtx[r * d + c] += xs[i * d + r] * xs[i * d + c];
    double top = 0;
    for (int it = 0; it < 200; ++it) {
        std::vector<double> u(d, 0.0);
        for (int r = 0; r < d; ++r)
            for (int c = 0; c < d; ++c) u[r] += xtx[r * d + c] * v[c];
        top = 0;
        for (double e : u) top += e * e;
        top = std::sqrt(top);
        for (int r = 0; r < d; ++r) v[r] = u[r] / top;
    }
    const double L = top / (4.0 * m) + lambda;
    const Tensor w0 = descent::zeros({d, 1});
    res.logit_newton = newton_cg(logit, w0, o.tol, -1, 100, rows, 1);
    res.logit_gd = gradient_descent(logit, w0, 1.0 / L, o.tol, o.max_steps, rows, 1);

    // --- what was measured ----------------------------------------------------------------
    out.csv("trace", {"problem", "method", "step", "loss", "grad_norm", "grad_norm_rel", "grads",
                      "hvps", "line_search_losses"},
            rows);
    Rows summary;
    for (const auto* r : {&res.quad_newton, &res.quad_gd, &res.logit_newton, &res.logit_gd})
        summary.push_back({double(r->steps), double(r->converged), double(r->grads),
                           double(r->hvps), double(r->losses), r->g0, r->g_final});
    out.csv("summary", {"steps", "converged", "grads", "hvps", "line_search_losses", "g0", "g_final"},
            summary);

    const char* names[2][2] = {{"quadratic: GD lr=1/L", "quadratic: Newton-CG"},
                               {"logistic: GD lr=1/L", "logistic: Newton-CG"}};
    auto draw = [&](bool work) {
        descent::study::FigureOptions fo;
        fo.title = "Newton-CG (Hvp by double backward) vs gradient descent, n=" +
                   std::to_string(n) + " cond=" + num(o.cond) + ", logistic " +
                   std::to_string(m) + "x" + std::to_string(d);
        fo.xlabel = work ? "gradient + Hessian-vector evaluations" : "step";
        fo.ylabel = "|gradient| / |gradient at start|";
        fo.logy = true;
        fo.logx = work;
        descent::study::Figure fig(fo);
        for (int problem = 0; problem < 2; ++problem)
            for (int method = 0; method < 2; ++method) {
                descent::study::Series s{names[problem][method], {}, {},
                                         method ? "linespoints" : "lines"};
                for (const auto& r : rows)
                    if (r[0] == problem && r[1] == method && r[5] > 0) {
                        s.x.push_back(work ? r[6] + r[7] : r[2]);
                        s.y.push_back(r[5]);
                    }
                fig.add(s);
            }
        return fig;
    };
    out.figure("gradnorm", draw(false));
    out.figure("work", draw(true));

    auto steps = [&](const NewtonRun& r) {
        return r.converged ? std::to_string(r.steps) + " steps"
                           : "no convergence in " + std::to_string(r.steps) + " steps";
    };
    out.lesson("quadratic (n=" + std::to_string(n) + ", cond " + num(o.cond) + ", float32): Newton-CG takes " +
               steps(res.quad_newton) + " (" + std::to_string(res.quad_newton.hvps) +
               " Hvps) to |g| = " + num(res.quad_g1 / res.quad_newton.g0) +
               " |g0|, x within " + num(res.quad_x_error) + " of A^-1 b; GD with lr = 1/L takes " +
               steps(res.quad_gd) + " to |g| <= " + num(o.tol) + " |g0|");
    out.lesson("the Hvp by double backward is A v to " + num(res.hvp_error) +
               " (float32 rounding); the Hessian built from " + std::to_string(n) +
               " Hvps gives a full Newton step within " + num(res.full_vs_cg) +
               " of the Newton-CG step");
    out.lesson("logistic regression (" + std::to_string(m) + " x " + std::to_string(d) +
               "): Newton-CG takes " + steps(res.logit_newton) + " (" +
               std::to_string(res.logit_newton.grads) + " gradients + " +
               std::to_string(res.logit_newton.hvps) + " Hvps + " +
               std::to_string(res.logit_newton.losses) + " line-search losses); GD takes " +
               steps(res.logit_gd) + " (" + std::to_string(res.logit_gd.grads) + " gradients)");
    return res;
}

namespace {
Runner add_newton(CLI::App& app, Common& common) {
    auto* sub = app.add_subcommand(
        "newton", "Newton-CG from Hessian-vector products (double backward) vs gradient descent");
    add_common_flags(*sub, common);
    static NewtonOptions o;
    sub->add_option("--n", o.n, "Dimension of the quadratic")->check(examples::integer_in(2, 200));
    sub->add_option("--cond", o.cond, "Condition number of the quadratic's A")
        ->check(examples::number_in(1, 1e4));
    sub->add_option("--tol", o.tol, "Stop at |g| <= tol |g0| (float32 floor: ~1e-6)")
        ->check(examples::number_in(1e-6, 0.5));
    sub->add_option("--max-steps", o.max_steps, "Cap on gradient-descent steps")
        ->check(examples::integer_in(1, 1000000));
    sub->add_option("--samples", o.samples, "Logistic regression: samples")
        ->check(examples::integer_in(10, 100000));
    sub->add_option("--features", o.features, "Logistic regression: features")
        ->check(examples::integer_in(1, 200));
    return [&common] {
        o.seed = common.seed;
        o.quick = common.quick;
        Output out(common.out, "newton");
        run_newton(o, out);
        out.commit();
    };
}
}  // namespace

static Registration reg(80, "newton", add_newton);

}  // namespace lab
