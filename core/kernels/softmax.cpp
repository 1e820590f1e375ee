// Softmax kernels along one axis, numerically stable (the axis max is subtracted before exp): one
// template for float and double.
#include "descent/core/kernels/softmax.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "descent/core/kernels/elementwise.hpp"

namespace descent::kernels {

namespace {

// out = exp(in - max) over the axis; m and s receive the axis max and the sum of the exps.
// in, out: (outer, n, inner); m, s: (outer, inner)
template <class T>
void shifted_exp(const T* x, Axis a, T* y, std::vector<T>& m, std::vector<T>& s) {
    m.assign(static_cast<size_t>(a.outer * a.inner), T(0.0));
    s.assign(m.size(), T(0.0));
    for (int64_t o = 0; o < a.outer; ++o) {
        const T* xo = x + o * a.n * a.inner;
        T* mo = m.data() + o * a.inner;
        std::copy_n(xo, a.inner, mo);
        for (int64_t j = 1; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) mo[k] = std::max(mo[k], xo[j * a.inner + k]);
        // A row of -inf has max -inf; shifting by it would give NaN, so shift by 0 instead.
        for (int64_t k = 0; k < a.inner; ++k)
            if (std::isinf(mo[k]) && mo[k] < 0) mo[k] = T(0.0);
        T* yo = y + o * a.n * a.inner;
        for (int64_t j = 0; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) yo[j * a.inner + k] = xo[j * a.inner + k] - mo[k];
    }
    unary(Unary::Exp, y, a.outer * a.n * a.inner, y);  // the one SIMD pass of exp
    for (int64_t o = 0; o < a.outer; ++o) {
        const T* yo = y + o * a.n * a.inner;
        T* so = s.data() + o * a.inner;
        for (int64_t j = 0; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) so[k] += yo[j * a.inner + k];
    }
}

}  // namespace

template <class T>
void softmax_impl(const T* x, Axis a, T* y) {
    std::vector<T> m, s;
    shifted_exp(x, a, y, m, s);
    for (int64_t o = 0; o < a.outer; ++o) {
        T* yo = y + o * a.n * a.inner;
        const T* so = s.data() + o * a.inner;
        for (int64_t j = 0; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k) yo[j * a.inner + k] /= so[k];
    }
}

template <class T>
void log_softmax_impl(const T* x, Axis a, T* y) {
    std::vector<T> m, s;
    shifted_exp(x, a, y, m, s);
    for (int64_t o = 0; o < a.outer; ++o) {
        const T* xo = x + o * a.n * a.inner;
        T* yo = y + o * a.n * a.inner;
        for (int64_t k = 0; k < a.inner; ++k) s[o * a.inner + k] = std::log(s[o * a.inner + k]);
        const T* mo = m.data() + o * a.inner;
        const T* lo = s.data() + o * a.inner;
        // log softmax = (x - max) - log Σ exp(x - max)
        for (int64_t j = 0; j < a.n; ++j)
            for (int64_t k = 0; k < a.inner; ++k)
                yo[j * a.inner + k] = (xo[j * a.inner + k] - mo[k]) - lo[k];
    }
}

template <class T>
void logsumexp_impl(const T* x, Axis a, T* r) {
    std::vector<T> m, s;
    std::vector<T> scratch(static_cast<size_t>(a.outer * a.n * a.inner));
    shifted_exp(x, a, scratch.data(), m, s);
    for (int64_t i = 0; i < a.outer * a.inner; ++i) r[i] = m[i] + std::log(s[i]);
}

void softmax(const float* in, Axis axis, float* out) { softmax_impl(in, axis, out); }
void softmax(const double* in, Axis axis, double* out) { softmax_impl(in, axis, out); }
void log_softmax(const float* in, Axis axis, float* out) { log_softmax_impl(in, axis, out); }
void log_softmax(const double* in, Axis axis, double* out) { log_softmax_impl(in, axis, out); }
void logsumexp(const float* in, Axis axis, float* out) { logsumexp_impl(in, axis, out); }
void logsumexp(const double* in, Axis axis, double* out) { logsumexp_impl(in, axis, out); }

}  // namespace descent::kernels
