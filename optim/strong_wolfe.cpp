// The strong Wolfe line search and its cubic interpolation, in torch.optim.LBFGS 1.13's order of
// tests and arithmetic (optim/lbfgs.py: _strong_wolfe, _cubic_interpolate), with each scalar float
// or double where torch's is. Each rounding as written (optim/*.cpp is compiled with
// -ffp-contract=off): a contracted multiply-add would move the interpolated step off torch's.
#include "descent/optim/strong_wolfe.hpp"

#include <cmath>

#include "descent/core/kernels/blas.hpp"

namespace descent::optim::detail {

namespace {

using S = MixedScalar;

template <class FloatOp, class DoubleOp>
S combine(S a, S b, FloatOp float_op, DoubleOp double_op) {
    if (a.is_float() || b.is_float()) return S::f32(float_op(a.as_float(), b.as_float()));
    return S::f64(double_op(a.value(), b.value()));
}

// Compares as torch does: in float if either is a float32 tensor.
template <class Cmp>
bool compare(S a, S b, Cmp cmp) {
    if (a.is_float() || b.is_float()) return cmp(a.as_float(), b.as_float());
    return cmp(a.value(), b.value());
}

float max_abs(const std::vector<float>& v) {
    float m = 0;
    for (float x : v) m = std::fabs(x) > m ? std::fabs(x) : m;
    return m;
}

S dot(const std::vector<float>& a, const std::vector<float>& b) {
    return S::f32(kernels::dot(static_cast<int64_t>(a.size()), a.data(), b.data()));
}

// The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
// [low, high]; their midpoint when the cubic has no minimum.
S cubic_interpolate(S x1, S f1, S g1, S x2, S f2, S g2, S low, S high) {
    const S d1 = g1 + g2 - S::f64(3) * (f1 - f2) / (x1 - x2);
    const S d2_square = d1 * d1 - g1 * g2;
    if (d2_square >= S::f64(0)) {
        const S d2 = S::f32(std::sqrt(d2_square.as_float()));
        const S min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + S::f64(2) * d2))
                                   : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + S::f64(2) * d2));
        return py_min(py_max(min_pos, low), high);
    }
    return (low + high) / S::f64(2);
}

S cubic_interpolate(S x1, S f1, S g1, S x2, S f2, S g2) {
    return x1 <= x2 ? cubic_interpolate(x1, f1, g1, x2, f2, g2, x1, x2)
                    : cubic_interpolate(x1, f1, g1, x2, f2, g2, x2, x1);
}

}  // namespace

S operator+(S a, S b) {
    return combine(
        a, b, [](float x, float y) { return x + y; }, [](double x, double y) { return x + y; });
}
S operator-(S a, S b) {
    return combine(
        a, b, [](float x, float y) { return x - y; }, [](double x, double y) { return x - y; });
}
S operator*(S a, S b) {
    return combine(
        a, b, [](float x, float y) { return x * y; }, [](double x, double y) { return x * y; });
}
S operator/(S a, S b) {
    return combine(
        a, b, [](float x, float y) { return x / y; }, [](double x, double y) { return x / y; });
}
bool operator<(S a, S b) {
    return compare(a, b, [](auto x, auto y) { return x < y; });
}
bool operator<=(S a, S b) {
    return compare(a, b, [](auto x, auto y) { return x <= y; });
}
bool operator>(S a, S b) {
    return compare(a, b, [](auto x, auto y) { return x > y; });
}
bool operator>=(S a, S b) {
    return compare(a, b, [](auto x, auto y) { return x >= y; });
}
S abs(S a) { return a.is_float() ? S::f32(std::fabs(a.as_float())) : S::f64(std::fabs(a.value())); }
S py_min(S a, S b) { return b < a ? b : a; }
S py_max(S a, S b) { return b > a ? b : a; }

LineSearchResult strong_wolfe(const DirectionalObjective& objective, const std::vector<float>& d,
                              S t, double f, const std::vector<float>& g, float gtd,
                              double tolerance_change, double c1, double c2, int max_ls) {
    const S d_norm = S::f32(max_abs(d));
    const S f0 = S::f64(f), gtd0 = S::f32(gtd);
    // Not a sufficient decrease (Armijo), and the strong curvature condition.
    auto above_armijo = [&](double f_t, S t_) { return S::f64(f_t) > f0 + S::f64(c1) * t_ * gtd0; };
    auto flat_enough = [&](S gtd_t) { return abs(gtd_t) <= S::f64(-c2) * gtd0; };

    std::vector<float> g_new;
    double f_new = objective(t.as_float(), g_new);
    int64_t evals = 1;
    S gtd_new = dot(g_new, d);

    // Bracketing: step out until [t_prev, t] holds a point that satisfies the conditions, or t
    // itself does.
    S t_prev = S::f64(0), gtd_prev = gtd0;
    double f_prev = f;
    std::vector<float> g_prev = g;
    S bracket[2] = {S::f64(0), S::f64(0)}, bracket_gtd[2] = {S::f64(0), S::f64(0)};
    double bracket_f[2] = {0, 0};
    std::vector<float> bracket_g[2];
    bool done = false, bracketed = false;
    int ls_iter = 0;
    while (ls_iter < max_ls) {
        const bool overshot = above_armijo(f_new, t) || (ls_iter > 1 && f_new >= f_prev);
        if (!overshot && flat_enough(gtd_new)) {  // t satisfies both conditions
            bracket[0] = bracket[1] = t;
            bracket_f[0] = bracket_f[1] = f_new;
            bracket_g[0] = g_new;
            done = bracketed = true;
            break;
        }
        if (overshot || gtd_new >= S::f64(0)) {  // the minimum lies between t_prev and t
            bracket[0] = t_prev, bracket[1] = t;
            bracket_f[0] = f_prev, bracket_f[1] = f_new;
            bracket_g[0] = g_prev, bracket_g[1] = g_new;
            bracket_gtd[0] = gtd_prev, bracket_gtd[1] = gtd_new;
            bracketed = true;
            break;
        }
        // Still descending: extrapolate, at least 1% further and at most 10 times as far.
        const S min_step = t + S::f64(0.01) * (t - t_prev);
        const S max_step = t * S::f64(10);
        const S previous = t;
        t = cubic_interpolate(t_prev, S::f64(f_prev), gtd_prev, t, S::f64(f_new), gtd_new, min_step,
                              max_step);
        t_prev = previous;
        f_prev = f_new;
        g_prev = g_new;
        gtd_prev = gtd_new;
        f_new = objective(t.as_float(), g_new);
        ++evals;
        gtd_new = dot(g_new, d);
        ++ls_iter;
    }
    if (!bracketed) {  // out of evaluations: choose between the start and the last point
        bracket[0] = S::f64(0), bracket[1] = t;
        bracket_f[0] = f, bracket_f[1] = f_new;
        bracket_g[0] = g, bracket_g[1] = g_new;
    }

    // Zoom: shrink the bracket around the point with the lowest loss (`low`) until it satisfies
    // both conditions.
    int low = bracket_f[0] <= bracket_f[1] ? 0 : 1, high = 1 - low;
    if (done) low = 0;
    bool insufficient_progress = false;
    while (!done && ls_iter < max_ls) {
        if (abs(bracket[1] - bracket[0]) * d_norm < S::f64(tolerance_change)) break;
        t = cubic_interpolate(bracket[0], S::f64(bracket_f[0]), bracket_gtd[0], bracket[1],
                              S::f64(bracket_f[1]), bracket_gtd[1]);
        // A trial point within 10% of the bracket's length of an end makes little progress: if the
        // last one did too, or it is at or beyond an end, move it to 10% inside that end.
        const S top = py_max(bracket[0], bracket[1]), bottom = py_min(bracket[0], bracket[1]);
        const S margin = S::f64(0.1) * (top - bottom);
        if (py_min(top - t, t - bottom) < margin) {
            if (insufficient_progress || t >= top || t <= bottom) {
                t = abs(t - top) < abs(t - bottom) ? top - margin : bottom + margin;
                insufficient_progress = false;
            } else {
                insufficient_progress = true;
            }
        } else {
            insufficient_progress = false;
        }
        f_new = objective(t.as_float(), g_new);
        ++evals;
        gtd_new = dot(g_new, d);
        ++ls_iter;

        if (above_armijo(f_new, t) || f_new >= bracket_f[low]) {
            // Not below the lowest point: t becomes the high end.
            bracket[high] = t;
            bracket_f[high] = f_new;
            bracket_g[high] = g_new;
            bracket_gtd[high] = gtd_new;
            low = bracket_f[0] <= bracket_f[1] ? 0 : 1;
            high = 1 - low;
        } else {
            if (flat_enough(gtd_new)) {
                done = true;
            } else if (gtd_new * (bracket[high] - bracket[low]) >= S::f64(0)) {
                // The slope at t points away from the high end: the old low end takes its place.
                bracket[high] = bracket[low];
                bracket_f[high] = bracket_f[low];
                bracket_g[high] = bracket_g[low];
                bracket_gtd[high] = bracket_gtd[low];
            }
            bracket[low] = t;
            bracket_f[low] = f_new;
            bracket_g[low] = g_new;
            bracket_gtd[low] = gtd_new;
        }
    }
    return {bracket_f[low], std::move(bracket_g[low]), bracket[low], evals};
}

}  // namespace descent::optim::detail
