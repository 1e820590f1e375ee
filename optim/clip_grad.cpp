// Gradient clipping: one pass to measure, one to scale, over the raw gradient buffers. Norms are
// accumulated in double, so a total over millions of elements does not lose float precision.
#include "clip_grad.hpp"

#include <algorithm>
#include <cmath>

#include "descent/core/error.hpp"

namespace descent::optim {

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
        // g: (n,)
        for (int64_t i = 0; i < n; ++i) {
            const double a = std::abs(static_cast<double>(g[i]));
            if (inf)
                total = std::isnan(a) ? a : std::max(total, a);
            else
                total += norm_type == 2.0 ? a * a : norm_type == 1.0 ? a : std::pow(a, norm_type);
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
