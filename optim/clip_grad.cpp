// Gradient clipping: one pass to measure, one to scale, over the raw gradient buffers. Norms are
// accumulated in double, so a total over millions of elements does not lose float precision; the
// squares of the 2-norm are added with one rounding each (fmadd: optim/*.cpp is compiled with
// -ffp-contract=off, so each rounding is the one written).
#include "descent/optim/clip_grad.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/error.hpp"
#include "descent/optim/update_math.hpp"

namespace descent::optim {

namespace {

// Σ term(|g_i|) in double over eight independent lanes, so that the loop vectorises; the lane sums
// are added at the end (a different order from a sequential sum, and both far inside float
// precision). add(sum, a) adds term(a) to a lane's sum.
template <class Add>
double lane_sum(const float* g, int64_t n, Add add) {
    double lanes[8] = {};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)  // g: (n / 8, 8)
        for (int k = 0; k < 8; ++k)
            lanes[k] = add(lanes[k], std::abs(static_cast<double>(g[i + k])));
    for (; i < n; ++i) lanes[0] = add(lanes[0], std::abs(static_cast<double>(g[i])));
    double total = 0;
    for (double lane : lanes) total += lane;
    return total;
}

// max |g_i|, NaN if any g_i is NaN.
double max_abs(const float* g, int64_t n) {
    float lanes[8] = {};
    bool nan = false;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {  // g: (n / 8, 8)
        for (int k = 0; k < 8; ++k) {
            const float a = std::abs(g[i + k]);
            lanes[k] = a > lanes[k] ? a : lanes[k];
            nan |= a != a;
        }
    }
    for (; i < n; ++i) {
        const float a = std::abs(g[i]);
        lanes[0] = a > lanes[0] ? a : lanes[0];
        nan |= a != a;
    }
    if (nan) return std::nan("");
    return *std::max_element(lanes, lanes + 8);
}

}  // namespace

double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
    DESCENT_CHECK(max_norm >= 0, ValueError, "clip_grad_norm_(): max_norm must be >= 0, got ",
                  max_norm);
    DESCENT_CHECK(norm_type > 0, ValueError,
                  "clip_grad_norm_(): norm_type must be > 0 or infinity, got ", norm_type);
    const bool inf = std::isinf(norm_type);
    double total = 0;  // max |g| (inf), else Σ |g|^p
    bool any = false;
    for (const Tensor& p : params) {
        if (!p.defined() || !p.grad().defined()) continue;
        any = true;
        const float* g = p.grad().data();
        const int64_t n = p.grad().numel();
        if (inf) {
            const double m = max_abs(g, n);
            total = std::isnan(m) || m > total ? m : total;
        } else if (norm_type == 2.0) {
            total += lane_sum(g, n, [](double sum, double a) { return detail::fmadd(a, a, sum); });
        } else if (norm_type == 1.0) {
            total += lane_sum(g, n, [](double sum, double a) { return sum + a; });
        } else {
            total +=
                lane_sum(g, n, [&](double sum, double a) { return sum + std::pow(a, norm_type); });
        }
    }
    if (!any) return 0.0;
    if (!inf) total = norm_type == 2.0 ? std::sqrt(total) : std::pow(total, 1.0 / norm_type);
    DESCENT_CHECK(!error_if_nonfinite || std::isfinite(total), ValueError,
                  "clip_grad_norm_(): the total norm of order ", norm_type, " of the gradients is ",
                  total, "; set error_if_nonfinite = false to clip anyway");
    const double coef = max_norm / (total + 1e-6);
    if (coef < 1.0 || std::isnan(coef)) {
        const float c = static_cast<float>(coef);
        for (const Tensor& p : params) {
            if (!p.defined() || !p.grad().defined()) continue;
            Tensor grad = p.grad();
            float* g = grad.data();
            const int64_t n = grad.numel();
            for (int64_t i = 0; i < n; ++i) g[i] *= c;  // g: (n,)
            grad.impl()->storage->bump_version();
        }
    }
    return total;
}

void clip_grad_value_(const std::vector<Tensor>& params, double clip_value) {
    DESCENT_CHECK(clip_value >= 0, ValueError, "clip_grad_value_(): clip_value must be >= 0, got ",
                  clip_value);
    const float hi = static_cast<float>(clip_value), lo = -hi;
    for (const Tensor& p : params) {
        if (!p.defined() || !p.grad().defined()) continue;
        Tensor grad = p.grad();
        float* g = grad.data();
        const int64_t n = grad.numel();
        for (int64_t i = 0; i < n; ++i) g[i] = std::min(std::max(g[i], lo), hi);  // g: (n,)
        grad.impl()->storage->bump_version();
    }
}

}  // namespace descent::optim
