// Softmax kernels along one axis, numerically stable (the axis max is subtracted before exp).
#include "descent/core/kernels/softmax.hpp"

#include <cmath>
#include <vector>
#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

namespace descent::kernels {

namespace {

// out = exp(in - max) over the axis; m and s receive the axis max and the sum of the exps.
// in, out: (outer, n, inner); m, s: (outer, inner)
void shifted_exp(const float* x, Axis a, float* y, std::vector<float>& m, std::vector<float>& s) {
    m.assign(static_cast<size_t>(a.outer * a.inner), 0.0f);
    s.assign(m.size(), 0.0f);
    for (int64_t o = 0; o < a.outer; ++o) {
        const float* xo = x + o * a.n * a.inner;
        float* mo = m.data() + o * a.inner;
        std::copy_n(xo, a.inner, mo);
        for (int64_t j = 1; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) mo[k] = std::max(mo[k], xo[j * a.inner + k]);
        // A row of -inf has max -inf; shifting by it would give NaN, so shift by 0 instead.
        for (int64_t k = 0; k < a.inner; ++k)
            if (std::isinf(mo[k]) && mo[k] < 0) mo[k] = 0.0f;
        float* yo = y + o * a.n * a.inner;
        for (int64_t j = 0; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) yo[j * a.inner + k] = xo[j * a.inner + k] - mo[k];
    }
    const auto total = static_cast<size_t>(a.outer * a.n * a.inner);
    auto v = xt::adapt(y, total, xt::no_ownership(), std::array<size_t, 1>{total});
    xt::noalias(v) = xt::exp(v);  // the one SIMD pass of exp
    for (int64_t o = 0; o < a.outer; ++o) {
        const float* yo = y + o * a.n * a.inner;
        float* so = s.data() + o * a.inner;
        for (int64_t j = 0; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) so[k] += yo[j * a.inner + k];
    }
}

}  // namespace

void softmax(const float* x, Axis a, float* y) {
    std::vector<float> m, s;
    shifted_exp(x, a, y, m, s);
    for (int64_t o = 0; o < a.outer; ++o) {
        float* yo = y + o * a.n * a.inner;
        const float* so = s.data() + o * a.inner;
        for (int64_t j = 0; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) yo[j * a.inner + k] /= so[k];
    }
}

void log_softmax(const float* x, Axis a, float* y) {
    std::vector<float> m, s;
    shifted_exp(x, a, y, m, s);
    for (int64_t o = 0; o < a.outer; ++o) {
        const float* xo = x + o * a.n * a.inner;
        float* yo = y + o * a.n * a.inner;
        for (int64_t k = 0; k < a.inner; ++k) s[o * a.inner + k] = std::log(s[o * a.inner + k]);
        const float* mo = m.data() + o * a.inner;
        const float* lo = s.data() + o * a.inner;
        // log softmax = (x - max) - log Σ exp(x - max)
        for (int64_t j = 0; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k)
                yo[j * a.inner + k] = (xo[j * a.inner + k] - mo[k]) - lo[k];
    }
}

void logsumexp(const float* x, Axis a, float* r) {
    std::vector<float> m, s;
    std::vector<float> scratch(static_cast<size_t>(a.outer * a.n * a.inner));
    shifted_exp(x, a, scratch.data(), m, s);
    for (int64_t i = 0; i < a.outer * a.inner; ++i) r[i] = m[i] + std::log(s[i]);
}

}  // namespace descent::kernels
