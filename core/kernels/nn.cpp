// nn's loops: each is the plain loop its op needs, one template for float and double; the float
// instances do the float arithmetic the op has always had.
#include "descent/core/kernels/nn.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "descent/core/kernels/elementwise.hpp"

namespace descent::kernels {

namespace {
template <class T>
constexpr T sqrt1_2 = T(0.70710678118654752);  // 1/√2
template <class T>
constexpr T tanh_k = T(0.79788456080286536);  // √(2/π)
template <class T>
constexpr T tanh_c = T(0.044715);
// The float constants are the float literals they always were (no double rounding on the way).
static_assert(sqrt1_2<float> == 0.70710678118654752f && tanh_k<float> == 0.79788456080286536f &&
              tanh_c<float> == 0.044715f);
}  // namespace

template <class T>
void broadcast_rows_impl(const T* row, int64_t rows, int64_t cols, T* out) {
    for (int64_t r = 0; r < rows; ++r) std::copy_n(row, cols, out + r * cols);
}

template <class T>
void gelu_impl(const T* x, int64_t n, bool tanh_form, T* y) {
    if (tanh_form) {
        for (int64_t i = 0; i < n; ++i) {
            const T v = x[i];
            y[i] = T(0.5) * v * (T(1.0) + std::tanh(tanh_k<T> * (v + tanh_c<T> * v * v * v)));
        }
    } else if constexpr (std::is_same_v<T, float>) {
        // erf through the xsimd kernel (unary Erf), not libm's scalar erff: GELU is a tiny GPT's
        // widest elementwise op. y may not alias x: x is read again after erf.
        for (int64_t i = 0; i < n; ++i) y[i] = x[i] * sqrt1_2<T>;
        unary(Unary::Erf, y, n, y);
        for (int64_t i = 0; i < n; ++i) y[i] = T(0.5) * x[i] * (T(1.0) + y[i]);
    } else {
        for (int64_t i = 0; i < n; ++i)
            y[i] = T(0.5) * x[i] * (T(1.0) + std::erf(x[i] * sqrt1_2<T>));
    }
}

template <class T>
void dropout_mask_impl(T* m, int64_t n, T p, T scale) {
    for (int64_t i = 0; i < n; ++i) m[i] = m[i] < p ? T(0.0) : scale;
}

template <class T>
void binary_cross_entropy_impl(const T* x, const T* y, int64_t n, T* l) {
    for (int64_t i = 0; i < n; ++i)
        l[i] = -(y[i] * std::max(std::log(x[i]), -T(100.0)) +
                 (T(1.0) - y[i]) * std::max(std::log(T(1.0) - x[i]), -T(100.0)));
}

template <class T>
void binary_cross_entropy_with_logits_impl(const T* x, const T* y, int64_t n, T* l) {
    for (int64_t i = 0; i < n; ++i)
        l[i] = std::max(x[i], T(0.0)) - x[i] * y[i] + std::log1p(std::exp(-std::abs(x[i])));
}

template <class T>
double cross_entropy_impl(const T* z, const int64_t* targets, int64_t N, int64_t C, T smoothing,
                          T* p, T* row_loss) {
    std::vector<T> max(static_cast<size_t>(N)),
        zsum(static_cast<size_t>(N));  // zsum: Σ (z - m)
    // z, p: (N, C); p = z - max over each row, then exp over the whole buffer at once (SIMD)
    for (int64_t i = 0; i < N; ++i) {
        const T* zi = z + i * C;
        T m = zi[0], s = T(0.0);
        for (int64_t j = 0; j < C; ++j) m = std::max(m, zi[j]);
        // Σ (z_j - m), not Σ z_j: near 1e7 a raw float sum drops the differences between logits.
        for (int64_t j = 0; j < C; ++j) {
            p[i * C + j] = zi[j] - m;
            s += p[i * C + j];
        }
        max[i] = m;
        zsum[i] = s;
    }
    unary(Unary::Exp, p, N * C, p);
    const T eps = smoothing, fc = static_cast<T>(C);
    double total = 0.0;
    // p: (N, C) -> softmax; row_loss: (N)
    for (int64_t i = 0; i < N; ++i) {
        T* pi = p + i * C;
        T s = T(0.0);
        for (int64_t j = 0; j < C; ++j) s += pi[j];
        // -log softmax(z_i)_t = log Σ exp(z_i - m) - (z_t - m): the max comes off z_t before the
        // sum is added, so large logits lose nothing (max + log(s) - z_t was 0.3 off at -1e7).
        const T log_s = std::log(s);
        T li = (T(1.0) - eps) * (log_s - (z[i * C + targets[i]] - max[i]));
        if (eps > T(0.0)) li += eps * (log_s - zsum[i] / fc);  // zsum is already shifted by m
        if (row_loss) row_loss[i] = li;
        total += li;
        const T inv = T(1.0) / s;
        for (int64_t j = 0; j < C; ++j) pi[j] *= inv;
    }
    return total;
}

template <class T>
void smoothed_one_hot_impl(const int64_t* targets, int64_t N, int64_t C, T smoothing, T* q) {
    const T off = smoothing / static_cast<T>(C), on = T(1.0) - smoothing + off;
    for (int64_t i = 0; i < N; ++i)
        for (int64_t j = 0; j < C; ++j) q[i * C + j] = j == targets[i] ? on : off;
}

template <class T>
void cross_entropy_backward_impl(const T* p, const int64_t* targets, int64_t N, int64_t C,
                                 T smoothing, const T* w, bool per_row, T* d) {
    const T off = smoothing / static_cast<T>(C), on = T(1.0) - smoothing + off;
    for (int64_t i = 0; i < N; ++i) {
        const T wi = per_row ? w[i] : w[0];
        for (int64_t j = 0; j < C; ++j) d[i * C + j] = wi * (p[i * C + j] - off);
        d[i * C + targets[i]] -= wi * (on - off);
    }
}

void broadcast_rows(const float* row, int64_t rows, int64_t cols, float* out) {
    broadcast_rows_impl(row, rows, cols, out);
}
void broadcast_rows(const double* row, int64_t rows, int64_t cols, double* out) {
    broadcast_rows_impl(row, rows, cols, out);
}
void gelu(const float* x, int64_t n, bool tanh_form, float* y) { gelu_impl(x, n, tanh_form, y); }
void gelu(const double* x, int64_t n, bool tanh_form, double* y) { gelu_impl(x, n, tanh_form, y); }
void dropout_mask(float* m, int64_t n, float p, float scale) { dropout_mask_impl(m, n, p, scale); }
void dropout_mask(double* m, int64_t n, double p, double scale) {
    dropout_mask_impl(m, n, p, scale);
}
void binary_cross_entropy(const float* x, const float* y, int64_t n, float* l) {
    binary_cross_entropy_impl(x, y, n, l);
}
void binary_cross_entropy(const double* x, const double* y, int64_t n, double* l) {
    binary_cross_entropy_impl(x, y, n, l);
}
void binary_cross_entropy_with_logits(const float* x, const float* y, int64_t n, float* l) {
    binary_cross_entropy_with_logits_impl(x, y, n, l);
}
void binary_cross_entropy_with_logits(const double* x, const double* y, int64_t n, double* l) {
    binary_cross_entropy_with_logits_impl(x, y, n, l);
}
double cross_entropy(const float* logits, const int64_t* targets, int64_t N, int64_t C,
                     float smoothing, float* probs, float* row_loss) {
    return cross_entropy_impl(logits, targets, N, C, smoothing, probs, row_loss);
}
double cross_entropy(const double* logits, const int64_t* targets, int64_t N, int64_t C,
                     double smoothing, double* probs, double* row_loss) {
    return cross_entropy_impl(logits, targets, N, C, smoothing, probs, row_loss);
}
void smoothed_one_hot(const int64_t* targets, int64_t N, int64_t C, float smoothing, float* q) {
    smoothed_one_hot_impl(targets, N, C, smoothing, q);
}
void smoothed_one_hot(const int64_t* targets, int64_t N, int64_t C, double smoothing, double* q) {
    smoothed_one_hot_impl(targets, N, C, smoothing, q);
}
void cross_entropy_backward(const float* probs, const int64_t* targets, int64_t N, int64_t C,
                            float smoothing, const float* w, bool per_row, float* dz) {
    cross_entropy_backward_impl(probs, targets, N, C, smoothing, w, per_row, dz);
}
void cross_entropy_backward(const double* probs, const int64_t* targets, int64_t N, int64_t C,
                            double smoothing, const double* w, bool per_row, double* dz) {
    cross_entropy_backward_impl(probs, targets, N, C, smoothing, w, per_row, dz);
}

}  // namespace descent::kernels
