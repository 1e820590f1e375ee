// Lab "minima": basins of attraction of a tilted double well (x² − 1)² + 0.3x + y². Every start
// of a grid is run by each optimizer (all starts at once, as one parameter whose loss is the sum
// of f over them) and classified by the minimum it ends in; GD follows the slope and stays on
// its side of the barrier, momentum can carry a start over it.
#include "lab_minima.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "../cli.hpp"

namespace lab::minima {

using namespace descent;

const char* kind_name(int kind) {
    static const char* names[kinds] = {"GD", "momentum 0.9", "Adam", "RMSprop"};
    DESCENT_CHECK(kind >= 0 && kind < kinds, ValueError, "descent_lab minima: kind ", kind,
                  " out of range");
    return names[kind];
}

namespace {

double f_at(double x, double y) { return (x * x - 1) * (x * x - 1) + 0.3 * x + y * y; }
double slope(double x) { return 4 * x * x * x - 4 * x + 0.3; }  // ∂f/∂x

// The root of slope() in [a, b], where it changes sign, by bisection in double.
double root(double a, double b) {
    const bool rising = slope(a) < 0;
    for (int i = 0; i < 200 && b - a > 1e-15; ++i) {
        const double m = 0.5 * (a + b);
        ((slope(m) < 0) == rising ? a : b) = m;
    }
    return 0.5 * (a + b);
}

std::unique_ptr<optim::Optimizer> make(int kind, const Tensor& p, double lr) {
    std::vector<Tensor> params{p};
    switch (kind) {
        case gd: return std::make_unique<optim::SGD>(params, optim::SGDOptions(lr));
        case momentum:
            return std::make_unique<optim::SGD>(params, optim::SGDOptions(lr).momentum(0.9));
        case adam: return std::make_unique<optim::Adam>(params, optim::AdamOptions(lr));
        default: return std::make_unique<optim::RMSprop>(params, optim::RMSpropOptions(lr));
    }
}

Basin classify(const Well& w, double x, double y, double radius) {
    if (std::hypot(x - w.x_global, y) <= radius) return global;
    if (std::hypot(x - w.x_local, y) <= radius) return local;
    return neither;
}

// f sampled for the contour lines under the basins.
study::Contour contour(const Well& w) {
    study::Contour c;
    c.x0 = -2, c.x1 = 2, c.y0 = -1.5, c.y1 = 1.5, c.nx = 101, c.ny = 101;
    for (int j = 0; j < c.ny; ++j)
        for (int i = 0; i < c.nx; ++i)
            c.z.push_back(f_at(c.x0 + 4.0 * i / (c.nx - 1), c.y0 + 3.0 * j / (c.ny - 1)));
    c.levels = {w.f_global + 0.05, 0, w.f_local + 0.05, 0.6, w.f_barrier, 1.5, 2.5, 4, 6};
    return c;
}

std::string pct(int part, int whole) {
    return num(whole > 0 ? 100.0 * part / whole : 0, "%.0f") + "%";
}

}  // namespace

Well well() {
    Well w;
    const double c = 1 / std::sqrt(3.0);  // slope() has its extrema at ±1/√3
    w.x_global = root(-2, -c);
    w.x_barrier = root(-c, c);
    w.x_local = root(c, 2);
    w.f_global = f_at(w.x_global, 0);
    w.f_barrier = f_at(w.x_barrier, 0);
    w.f_local = f_at(w.x_local, 0);
    return w;
}

std::vector<double> descend(int kind, double lr, const std::vector<double>& starts, int steps,
                            std::vector<std::vector<double>>* paths) {
    const int64_t n = static_cast<int64_t>(starts.size() / 2);
    Tensor p = descent::tensor(starts, {n, 2});
    p.requires_grad_();
    auto opt = make(kind, p, lr);
    if (paths) paths->assign(1, starts);
    for (int step = 0; step < steps; ++step) {
        const Tensor x = p.select(1, 0), y = p.select(1, 1);
        const Tensor loss = ((x.square() - 1.0f).square() + x * 0.3f + y.square()).sum();
        opt->zero_grad();
        loss.backward();
        opt->step();
        if (paths) {
            const std::vector<float> v = p.to_vector();
            paths->emplace_back(v.begin(), v.end());
        }
    }
    const std::vector<float> v = p.to_vector();
    return {v.begin(), v.end()};
}

Result run_minima(const Options& options, Output& out) {
    Options o = options;
    if (o.common.quick) o.grid = std::min(o.grid, 11), o.steps = std::min(o.steps, 150);
    bool lr_ok = o.lr.size() == kinds;
    for (size_t k = 0; lr_ok && k < kinds; ++k) lr_ok = o.lr[k] > 0 && std::isfinite(o.lr[k]);
    DESCENT_CHECK(
        o.grid >= 2 && o.grid <= 1000 && o.steps >= 1 && lr_ok && o.radius > 0 && o.radius < 0.9,
        ValueError, "descent_lab minima: grid ", o.grid, ", steps ", o.steps, ", radius ", o.radius,
        " or a learning rate (", o.lr.size(), " given, ", int(kinds),
        " positive ones needed) out of range");
    Result r;
    r.well = well();
    r.grid = o.grid, r.steps = o.steps;
    const Well& w = r.well;

    std::vector<double> starts;
    for (int j = 0; j < o.grid; ++j)
        for (int i = 0; i < o.grid; ++i) {
            starts.push_back(-2 + 4.0 * i / (o.grid - 1));
            starts.push_back(-1.5 + 3.0 * j / (o.grid - 1));
        }
    std::vector<std::vector<double>> rows;
    for (int k = 0; k < kinds; ++k) {
        Run run;
        run.name = kind_name(k);
        run.lr = o.lr[k];
        const std::vector<double> end = descend(k, o.lr[k], starts, o.steps);
        for (size_t s = 0; s < starts.size() / 2; ++s) {
            End e{starts[2 * s], starts[2 * s + 1], end[2 * s], end[2 * s + 1]};
            e.basin = classify(w, e.x, e.y, o.radius);
            run.global += e.basin == global;
            run.local += e.basin == local;
            run.neither += e.basin == neither;
            const bool right = e.x0 > w.x_barrier;
            run.right_starts += right;
            run.left_starts += !right;
            run.crossed_to_global += right && e.basin == global;
            run.crossed_to_local += !right && e.basin == local;
            rows.push_back({e.x0, e.y0, double(k), e.x, e.y, double(e.basin)});
            run.ends.push_back(e);
        }
        run.depends_on_x0_only = true;
        for (int i = 0; i < o.grid; ++i)
            for (int jj = 1; jj < o.grid; ++jj)
                run.depends_on_x0_only =
                    run.depends_on_x0_only && run.ends[jj * o.grid + i].basin == run.ends[i].basin;
        r.runs.push_back(std::move(run));
    }
    out.csv("basins", {"start_x", "start_y", "optimizer", "end_x", "end_y", "basin"}, rows);
    out.csv("well", {"x_global", "f_global", "x_barrier", "f_barrier", "x_local", "f_local"},
            {{w.x_global, w.f_global, w.x_barrier, w.f_barrier, w.x_local, w.f_local}});

    // A few example paths, the same starts for every optimizer: right of the barrier far out and
    // near it, and left of it.
    const std::vector<double> examples = {1.9, 1.2, 0.5, -1.0, -1.8, 0.8};
    std::vector<std::vector<double>> path_rows;
    std::vector<std::vector<std::vector<double>>> paths(kinds);
    for (int k = 0; k < kinds; ++k) {
        descend(k, o.lr[k], examples, o.steps, &paths[k]);
        for (size_t step = 0; step < paths[k].size(); ++step)
            for (size_t s = 0; s < examples.size() / 2; ++s)
                path_rows.push_back({double(k), double(s), double(step), paths[k][step][2 * s],
                                     paths[k][step][2 * s + 1]});
    }
    out.csv("paths", {"optimizer", "start", "step", "x", "y"}, path_rows);

    // One figure per optimizer: the starts coloured by the minimum they reach, over f's contours,
    // with the example paths and the barrier line x = x_barrier.
    for (int k = 0; k < kinds; ++k) {
        const Run& run = r.runs[k];
        study::Figure f(
            {run.name + " lr " + num(run.lr) + ", " + std::to_string(o.steps) +
                 " steps: where each start ends (barrier at x = " + num(w.x_barrier, "%.3f") + ")",
             "x", "y", "", false, false});
        f.contour(contour(w));
        // Series in this order so that gnuplot's colour cycle gives global and local minimum
        // two contrasting colours (green, orange), with the barrier line between them.
        const auto starts_in = [&](Basin b, const std::string& title, int count) {
            study::Series s{title + " (" + std::to_string(count) + ")",
                            {},
                            {},
                            "points",
                            false,
                            o.grid > 21 ? 2.0 : 3.0};
            for (const End& e : run.ends)
                if (e.basin == b) s.x.push_back(e.x0), s.y.push_back(e.y0);
            if (!s.x.empty()) f.add(s);
        };
        starts_in(global, "start reaches the global min", run.global);
        f.add({"barrier x = " + num(w.x_barrier, "%.3f"),
               {w.x_barrier, w.x_barrier},
               {-1.5, 1.5},
               "lines",
               false,
               1.5});
        starts_in(local, "start reaches the local min", run.local);
        starts_in(neither, "start not converged", run.neither);
        for (size_t s = 0; s < examples.size() / 2; ++s) {
            study::Series line{s == 0 ? "example paths" : "", {}, {}, "lines", false, 2};
            for (const auto& pt : paths[k]) {
                // Clipped to the box: a path that leaves it is drawn up to there.
                if (std::fabs(pt[2 * s]) > 2 || std::fabs(pt[2 * s + 1]) > 1.5) break;
                line.x.push_back(pt[2 * s]);
                line.y.push_back(pt[2 * s + 1]);
            }
            f.add(line);
        }
        std::string name = run.name.substr(0, run.name.find(' '));
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        out.figure("basins_" + name, f);
    }

    // All optimizers in one picture: f is a sum of a term in x and one in y and each optimizer
    // moves each coordinate by its own gradient, so where a start ends depends on x0 alone (the
    // test checks that every column of the grid agrees); one strip per optimizer, the middle row
    // of starts, shows its basins along x0.
    {
        study::Figure f(
            {"which minimum a start reaches, by start x (strips from the bottom: GD, "
             "momentum, Adam, RMSprop; " +
                 std::to_string(o.steps) + " steps)",
             "start x", "optimizer (0 GD, 1 momentum 0.9, 2 Adam, 3 RMSprop)", "", false, false});
        const int j = o.grid / 2;
        const auto strip = [&](Basin b, const std::string& title) {
            study::Series s{title, {}, {}, "points", false, 3.0};
            for (int k = 0; k < kinds; ++k)
                for (int i = 0; i < o.grid; ++i) {
                    const End& e = r.runs[k].ends[j * o.grid + i];
                    if (e.basin == b) s.x.push_back(e.x0), s.y.push_back(k);
                }
            if (!s.x.empty()) f.add(s);
        };
        strip(global, "reaches the global min x = " + num(w.x_global, "%.3f"));
        f.add({"barrier x = " + num(w.x_barrier, "%.3f"),
               {w.x_barrier, w.x_barrier},
               {-0.5, kinds - 0.5 + 1.2},
               "lines",
               false,
               1.5});
        strip(local, "reaches the local min x = " + num(w.x_local, "%.3f"));
        strip(neither, "not converged");
        out.figure("strips", f);
    }

    const int total = o.grid * o.grid;
    out.lesson("f = (x^2-1)^2 + 0.3x + y^2: global minimum at x = " + num(w.x_global, "%.4f") +
               " (f = " + num(w.f_global) + "), local at x = " + num(w.x_local, "%.4f") +
               " (f = " + num(w.f_local) + "), barrier at x = " + num(w.x_barrier, "%.4f") + ", " +
               num(w.f_barrier - w.f_local) + " above the local minimum");
    std::string shares;
    for (const Run& run : r.runs)
        shares += (shares.empty() ? "" : ", ") + run.name + " (lr " + num(run.lr) + ") " +
                  pct(run.global, total) +
                  (run.neither ? " (" + std::to_string(run.neither) + " not converged)" : "");
    out.lesson("of " + std::to_string(total) + " starts over [-2, 2] x [-1.5, 1.5], " +
               std::to_string(o.steps) +
               " steps each, the global minimum is reached by: " + shares + "; " +
               pct(r.runs[gd].left_starts, total) + " of the starts lie left of the barrier" +
               (std::all_of(r.runs.begin(), r.runs.end(),
                            [](const Run& run) { return run.depends_on_x0_only; })
                    ? " (for every optimizer the minimum reached depends on the start's x alone: f "
                      "is separable and each coordinate moves by its own gradient)"
                    : ""));
    const Run& g = r.runs[gd];
    out.lesson("GD never crosses the barrier: " + std::to_string(g.crossed_to_global) + " of " +
               std::to_string(g.right_starts) + " starts right of it reach the global minimum, " +
               std::to_string(g.crossed_to_local) + " of " + std::to_string(g.left_starts) +
               " left of it the local one");
    std::string crossed;
    for (int k = 1; k < kinds; ++k)
        crossed += (crossed.empty() ? "" : ", ") + r.runs[k].name + " " +
                   std::to_string(r.runs[k].crossed_to_global) + " (and " +
                   std::to_string(r.runs[k].crossed_to_local) + " the other way)";
    out.lesson("carried over the barrier into the global minimum, of the " +
               std::to_string(g.right_starts) + " starts right of it: " + crossed +
               "; a heavy ball keeps the speed it gains rolling downhill, the adaptive steps "
               "(about lr per coordinate) do not");
    return r;
}

namespace {

Runner add_minima(CLI::App& app, Common& common) {
    auto o = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "minima",
        "Basins of a tilted double well: which minimum GD, momentum, Adam, RMSprop reach");
    add_common_flags(*sub, common);
    sub->add_option("--grid", o->grid, "Starts per side of the grid (quick: 11)")
        ->check(examples::integer_in(2, 1000));
    sub->add_option("--steps", o->steps, "Steps from each start (quick: 150)")
        ->check(examples::integer_in(1, 100000));
    return [o, &common] {
        o->common = common;
        Output out(common.out, "minima");
        run_minima(*o, out);
        out.commit();
    };
}

Registration reg(60, "minima", add_minima);

}  // namespace

}  // namespace lab::minima
