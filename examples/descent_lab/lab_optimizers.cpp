// Lab "optimizers": the same 2-D start handed to each of descent's optimizers on an
// ill-conditioned quadratic ½(x² + 50y²) and on Rosenbrock's (1-x)² + 100(y-x²)², each step
// taken by the optimizer's own step() on one 2-element parameter; the paths over the contours
// and the loss per step show what momentum, per-coordinate scaling and curvature pairs buy.
#include "lab_optimizers.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "../cli.hpp"

namespace lab::optimizers {

using namespace descent;

const char* kind_name(int kind) {
    static const char* names[kinds] = {"GD",   "momentum 0.9", "Nesterov 0.9", "RMSprop",
                                       "Adam", "AdamW",        "L-BFGS"};
    DESCENT_CHECK(kind >= 0 && kind < kinds, ValueError, "descent_lab optimizers: kind ", kind,
                  " out of range");
    return names[kind];
}

namespace {

using Loss = std::function<Tensor(const Tensor&)>;  // p (2) -> a one-element loss

Tensor quadratic(const Tensor& p) {
    const Tensor x = p.select(0, 0), y = p.select(0, 1);
    return (x.square() + y.square() * 50.0f) * 0.5f;
}
Tensor rosenbrock(const Tensor& p) {
    const Tensor x = p.select(0, 0), y = p.select(0, 1);
    return (1.0f - x).square() + (y - x.square()).square() * 100.0f;
}
double quadratic_at(double x, double y) { return 0.5 * (x * x + 50 * y * y); }
double rosenbrock_at(double x, double y) {
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}

std::unique_ptr<optim::Optimizer> make(int kind, const Tensor& p, double lr) {
    std::vector<Tensor> params{p};
    switch (kind) {
        case gd: return std::make_unique<optim::SGD>(params, optim::SGDOptions(lr));
        case momentum:
            return std::make_unique<optim::SGD>(params, optim::SGDOptions(lr).momentum(0.9));
        case nesterov:
            return std::make_unique<optim::SGD>(params,
                                                optim::SGDOptions(lr).momentum(0.9).nesterov(true));
        case rmsprop: return std::make_unique<optim::RMSprop>(params, optim::RMSpropOptions(lr));
        case adam: return std::make_unique<optim::Adam>(params, optim::AdamOptions(lr));
        case adamw: return std::make_unique<optim::AdamW>(params, optim::AdamWOptions(lr));
        default:  // one L-BFGS iteration per step(), so that a step is comparable with the others
            return std::make_unique<optim::LBFGS>(
                params, optim::LBFGSOptions(lr).max_iter(1).line_search_fn("strong_wolfe"));
    }
}

// `steps` steps of optimizer `kind` from (x0, y0). A loss that is non-finite or 1e6 times the
// start's counts as divergence: the path ends at the last point before it.
Path walk(int kind, const Loss& loss, double x0, double y0, double lr, int steps, double tol) {
    Path path;
    path.name = kind_name(kind);
    path.lr = lr;
    Tensor p = descent::tensor(std::vector<double>{x0, y0}, {2});
    p.requires_grad_();
    auto opt = make(kind, p, lr);
    int64_t calls = 0;  // closure calls; L-BFGS counts its own (its line search adds some)
    const auto evaluations = [&] {
        return kind == lbfgs ? static_cast<optim::LBFGS&>(*opt).global_state().func_evals : calls;
    };
    const auto record = [&](int step) {
        NoGradGuard no_grad;
        const std::vector<float> v = p.to_vector();
        const double f = loss(p).item();
        if (!std::isfinite(f) || !std::isfinite(v[0]) || !std::isfinite(v[1]) ||
            (step > 0 && f > 1e6 * path.loss.front())) {
            path.diverged = true;
            path.diverged_at = step;
            return false;
        }
        path.x.push_back(v[0]);
        path.y.push_back(v[1]);
        path.loss.push_back(f);
        if (path.steps_to_tol < 0 && f <= tol) {
            path.steps_to_tol = step;
            path.evaluations_to_tol = evaluations();
        }
        return true;
    };
    const optim::LossClosure closure = [&] {
        opt->zero_grad();
        Tensor f = loss(p);
        f.backward();
        ++calls;
        return f;
    };
    record(0);
    for (int step = 1; step <= steps; ++step) {
        if (kind == lbfgs) {
            opt->step(closure);
        } else {
            closure();
            opt->step();
        }
        if (!record(step)) break;
    }
    path.evaluations = evaluations();
    return path;
}

Problem run_problem(const std::string& name, const Loss& loss, double x0, double y0,
                    const std::vector<double>& lrs, int steps, double tol) {
    Problem pr;
    pr.name = name;
    pr.x0 = x0, pr.y0 = y0, pr.steps = steps;
    for (int k = 0; k < kinds; ++k) pr.paths.push_back(walk(k, loss, x0, y0, lrs[k], steps, tol));
    return pr;
}

// f sampled on an nx x ny grid for the contour lines.
study::Contour grid(double (*f)(double, double), double x0, double x1, double y0, double y1,
                    std::vector<double> levels) {
    study::Contour c;
    c.x0 = x0, c.x1 = x1, c.y0 = y0, c.y1 = y1, c.nx = 121, c.ny = 121;
    for (int j = 0; j < c.ny; ++j)
        for (int i = 0; i < c.nx; ++i)
            c.z.push_back(f(x0 + (x1 - x0) * i / (c.nx - 1), y0 + (y1 - y0) * j / (c.ny - 1)));
    c.levels = std::move(levels);
    return c;
}

std::string path_label(const Path& p) {
    return p.name + " lr " + num(p.lr) + (p.diverged ? " (diverged)" : "");
}

// The paths over the contours, clipped to the drawn box (gnuplot would stretch it otherwise);
// only path `only` when it is >= 0 (a panel of its own, titled with it, no key).
study::Figure paths_figure(const Problem& pr, study::Contour c, const std::string& title,
                           int only = -1) {
    study::Figure f({title, "x", "y", "", false, false});
    const double x0 = c.x0, x1 = c.x1, y0 = c.y0, y1 = c.y1;
    f.contour(std::move(c));
    for (int k = 0; k < static_cast<int>(pr.paths.size()); ++k) {
        if (only >= 0 && k != only) continue;
        const Path& p = pr.paths[static_cast<size_t>(k)];
        study::Series s{only >= 0 ? "" : path_label(p), {}, {}, "lines", false, 1.5};
        for (size_t i = 0; i < p.x.size(); ++i) {
            if (p.x[i] < x0 || p.x[i] > x1 || p.y[i] < y0 || p.y[i] > y1) break;
            s.x.push_back(p.x[i]);
            s.y.push_back(p.y[i]);
        }
        if (!s.x.empty()) f.add(s);
    }
    f.add({only >= 0 ? "" : "start", {pr.x0}, {pr.y0}, "points", false, 2});
    return f;
}

// One small panel per optimizer: on Rosenbrock most paths follow the same valley, and in one plot
// the last drawn hide the others (GD, momentum and RMSprop lay under Adam and L-BFGS).
study::Panels paths_panels(const Problem& pr, const study::Contour& c, const std::string& title) {
    study::Panels panels(title, 4, 1400, 700);
    for (int k = 0; k < static_cast<int>(pr.paths.size()); ++k)
        panels.add(paths_figure(pr, c, path_label(pr.paths[static_cast<size_t>(k)]), k));
    return panels;
}

// Loss per step, log y, drawn down to `floor`: below it float32 rounding is all that is left
// (and a loss of exactly 0 cannot be drawn on a log axis), so a curve stops there.
study::Figure loss_figure(const Problem& pr, double floor) {
    study::Figure f({pr.name + ": loss per step from (" + num(pr.x0) + ", " + num(pr.y0) +
                         "), drawn down to " + num(floor),
                     "step", "loss", "", false, true});
    for (const Path& p : pr.paths) {
        study::Series s{path_label(p), {}, {}, "lines", false, 1.5};
        for (size_t i = 0; i < p.loss.size() && p.loss[i] >= floor; ++i) {
            s.x.push_back(static_cast<double>(i));
            s.y.push_back(p.loss[i]);
        }
        f.add(s);
    }
    return f;
}

std::string finals(const Problem& pr) {
    std::string s;
    for (const Path& p : pr.paths)
        s += (s.empty() ? "" : ", ") + p.name + " " +
             (p.diverged ? "diverged at step " + std::to_string(p.diverged_at)
                         : num(p.final_loss(), "%.2g"));
    return s;
}

std::string steps_to(const Path& p, double tol) {
    return p.steps_to_tol >= 0
               ? "reaches " + num(tol) + " in " + std::to_string(p.steps_to_tol) + " steps (" +
                     std::to_string(p.evaluations_to_tol) + " gradients)"
               : "never reaches " + num(tol);
}

}  // namespace

Result run_optimizers(const Options& options, Output& out) {
    Options o = options;
    if (o.common.quick) o.rosen_steps = std::min(o.rosen_steps, 300);
    bool lrs_ok = o.quad_lr.size() == kinds && o.rosen_lr.size() == kinds;
    for (size_t i = 0; lrs_ok && i < kinds; ++i)
        lrs_ok =
            o.quad_lr[i] > 0 && o.rosen_lr[i] > 0 && std::isfinite(o.quad_lr[i] + o.rosen_lr[i]);
    DESCENT_CHECK(o.quad_steps >= 1 && o.rosen_steps >= 1 && lrs_ok && o.tol > 0, ValueError,
                  "descent_lab optimizers: quad_steps ", o.quad_steps, ", rosen_steps ",
                  o.rosen_steps, ", tol ", o.tol, " or a learning rate (", o.quad_lr.size(),
                  " and ", o.rosen_lr.size(), " given, ", int(kinds),
                  " positive ones needed) out of range");
    Result r;
    r.tol = o.tol;
    r.quadratic = run_problem("quadratic 0.5(x^2 + 50y^2)", quadratic, -1.5, 1.0, o.quad_lr,
                              o.quad_steps, o.tol);
    r.rosenbrock = run_problem("Rosenbrock (1-x)^2 + 100(y-x^2)^2", rosenbrock, -1.5, 2.0,
                               o.rosen_lr, o.rosen_steps, o.tol);

    // paths.csv: one row per problem (0 quadratic, 1 Rosenbrock), optimizer (Kind) and step.
    std::vector<std::vector<double>> rows, final_rows;
    int problem = 0;
    for (const Problem* pr : {&r.quadratic, &r.rosenbrock}) {
        for (int k = 0; k < kinds; ++k) {
            const Path& p = pr->paths[k];
            for (size_t i = 0; i < p.x.size(); ++i)
                rows.push_back({double(problem), double(k), double(i), p.x[i], p.y[i], p.loss[i]});
            final_rows.push_back({double(problem), double(k), p.lr, double(p.x.size() - 1),
                                  p.final_loss(), p.x.back(), p.y.back(), double(p.diverged),
                                  double(p.diverged_at), double(p.steps_to_tol),
                                  double(p.evaluations_to_tol), double(p.evaluations)});
        }
        ++problem;
    }
    out.csv("paths", {"problem", "optimizer", "step", "x", "y", "loss"}, rows);
    out.csv("final",
            {"problem", "optimizer", "lr", "steps", "final_loss", "x", "y", "diverged",
             "diverged_at", "steps_to_tol", "evaluations_to_tol", "evaluations"},
            final_rows);

    out.figure("quadratic", paths_figure(r.quadratic,
                                         grid(quadratic_at, -1.8, 1.2, -1.2, 2.4,
                                              {0.02, 0.1, 0.5, 2, 5, 10, 20, 30}),
                                         "0.5(x^2 + 50y^2): " + std::to_string(o.quad_steps) +
                                             " steps of each optimizer from (-1.5, 1)"));
    const study::Contour rosen_grid =
        grid(rosenbrock_at, -2, 2, -1, 3, {0.3, 1, 3, 10, 30, 100, 300, 1000});
    const std::string rosen_title = "Rosenbrock: " + std::to_string(o.rosen_steps) +
                                    " steps of each optimizer from (-1.5, 2), minimum at (1, 1)";
    out.figure("rosenbrock", paths_figure(r.rosenbrock, rosen_grid, rosen_title));
    out.figure("rosenbrock_each", paths_panels(r.rosenbrock, rosen_grid, rosen_title));
    out.figure("quadratic_loss", loss_figure(r.quadratic, 1e-13));
    out.figure("rosenbrock_loss", loss_figure(r.rosenbrock, 1e-13));

    // The lessons, each from the numbers above; a diverged run reads "diverged at step k".
    const auto& q = r.quadratic.paths;
    const auto& b = r.rosenbrock.paths;
    const auto loss_of = [](const Path& p) {
        return p.diverged ? "diverged at step " + std::to_string(p.diverged_at)
                          : num(p.final_loss(), "%.2g");
    };
    const auto same_lr = [](const std::vector<Path>& ps) {
        return ps[gd].lr == ps[momentum].lr && ps[gd].lr == ps[nesterov].lr;
    };
    out.lesson("quadratic 0.5(x^2 + 50y^2) from (-1.5, 1), loss 26, " +
               std::to_string(o.quad_steps) + " steps" +
               (same_lr(q) ? " at the same lr " + num(q[gd].lr) : std::string()) + ": GD ends at " +
               loss_of(q[gd]) + ", momentum 0.9 at " + loss_of(q[momentum]) + ", Nesterov 0.9 at " +
               loss_of(q[nesterov]) +
               "; the steep direction caps GD's lr (stable below 2/50) so the flat one shrinks by "
               "only 1 - lr = " +
               num(1 - q[gd].lr) + " a step, where momentum builds up speed");
    out.lesson("per-coordinate scaling divides the 1:50 curvature out: RMSprop (lr " +
               num(q[rmsprop].lr) + ") ends at " + loss_of(q[rmsprop]) + ", Adam (lr " +
               num(q[adam].lr) + ") at " + loss_of(q[adam]) +
               " (its momentum circles the minimum), "
               "AdamW at " +
               loss_of(q[adamw]) + "; L-BFGS " + steps_to(q[lbfgs], o.tol) + " and then stays at " +
               loss_of(q[lbfgs]) +
               ", where its slope along the search direction is below tolerance_change 1e-9");
    std::string adamw_note;
    if (!b[adam].diverged && !b[adamw].diverged && b[adam].lr == b[adamw].lr &&
        b[adamw].final_loss() > 10 * b[adam].final_loss())
        adamw_note = "; AdamW, Adam plus decoupled weight decay 0.01, stays at " +
                     loss_of(b[adamw]) + ", (" + num(b[adamw].x.back()) + ", " +
                     num(b[adamw].y.back()) + "): the decay pulls it off the minimum (1, 1)";
    out.lesson("Rosenbrock from (-1.5, 2) after " + std::to_string(o.rosen_steps) +
               " steps: " + finals(r.rosenbrock) + ". L-BFGS " + steps_to(b[lbfgs], o.tol) +
               ", Adam " + steps_to(b[adam], o.tol) + ", momentum " + steps_to(b[momentum], o.tol) +
               ", GD at lr " + num(b[gd].lr) + " " + steps_to(b[gd], o.tol) + adamw_note);
    std::string diverged;
    for (const Problem* pr : {&r.quadratic, &r.rosenbrock})
        for (const Path& p : pr->paths)
            if (p.diverged)
                diverged += (diverged.empty() ? "" : ", ") + p.name + " lr " + num(p.lr) + " on " +
                            pr->name + " at step " + std::to_string(p.diverged_at);
    if (!diverged.empty()) out.lesson("diverged (curve cut there): " + diverged);
    return r;
}

namespace {

Runner add_optimizers(CLI::App& app, Common& common) {
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "optimizers",
        "GD, momentum, Nesterov, RMSprop, Adam, AdamW and L-BFGS on a quadratic and Rosenbrock");
    add_common_flags(*sub, common);
    sub->add_option("--quad-steps", o->quad_steps, "Steps on the ill-conditioned quadratic")
        ->check(examples::integer_in(1, 100000));
    sub->add_option("--rosen-steps", o->rosen_steps, "Steps on Rosenbrock (quick: 300)")
        ->check(examples::integer_in(1, 100000));
    return [o, &common] {
        o->common = common;
        Output out(common.out, "optimizers");
        run_optimizers(*o, out);
        out.commit();
    };
}

Registration reg(50, "optimizers", add_optimizers);

}  // namespace

}  // namespace lab::optimizers
