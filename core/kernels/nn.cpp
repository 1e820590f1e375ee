// nn's loops: each is the plain loop its op needs, in the float arithmetic the op has always had.
#include "descent/core/kernels/nn.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "descent/core/kernels/elementwise.hpp"

namespace descent::kernels {

namespace {
constexpr float sqrt1_2 = 0.70710678118654752f;  // 1/√2
constexpr float tanh_k = 0.79788456080286536f;   // √(2/π)
constexpr float tanh_c = 0.044715f;
}  // namespace

void broadcast_rows(const float* row, int64_t rows, int64_t cols, float* out) {
    for (int64_t r = 0; r < rows; ++r) std::copy_n(row, cols, out + r * cols);
}

void gelu(const float* x, int64_t n, bool tanh_form, float* y) {
    if (tanh_form) {
        for (int64_t i = 0; i < n; ++i) {
            const float v = x[i];
            y[i] = 0.5f * v * (1.0f + std::tanh(tanh_k * (v + tanh_c * v * v * v)));
        }
    } else {
        for (int64_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * sqrt1_2));
    }
}

void dropout_mask(float* m, int64_t n, float p, float scale) {
    for (int64_t i = 0; i < n; ++i) m[i] = m[i] < p ? 0.0f : scale;
}

void binary_cross_entropy(const float* x, const float* y, int64_t n, float* l) {
    for (int64_t i = 0; i < n; ++i)
        l[i] = -(y[i] * std::max(std::log(x[i]), -100.0f) +
                 (1.0f - y[i]) * std::max(std::log(1.0f - x[i]), -100.0f));
}

void binary_cross_entropy_with_logits(const float* x, const float* y, int64_t n, float* l) {
    for (int64_t i = 0; i < n; ++i)
        l[i] = std::max(x[i], 0.0f) - x[i] * y[i] + std::log1p(std::exp(-std::abs(x[i])));
}

double cross_entropy(const float* z, const int64_t* targets, int64_t N, int64_t C, float smoothing,
                     float* p, float* row_loss) {
    std::vector<float> max(static_cast<size_t>(N)),
        zsum(static_cast<size_t>(N));  // zsum: Σ (z - m)
    // z, p: (N, C); p = z - max over each row, then exp over the whole buffer at once (SIMD)
    for (int64_t i = 0; i < N; ++i) {
        const float* zi = z + i * C;
        float m = zi[0], s = 0.0f;
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
    const float eps = smoothing, fc = static_cast<float>(C);
    double total = 0.0;
    // p: (N, C) -> softmax; row_loss: (N)
    for (int64_t i = 0; i < N; ++i) {
        float* pi = p + i * C;
        float s = 0.0f;
        for (int64_t j = 0; j < C; ++j) s += pi[j];
        // -log softmax(z_i)_t = log Σ exp(z_i - m) - (z_t - m): the max comes off z_t before the
        // sum is added, so large logits lose nothing (max + log(s) - z_t was 0.3 off at -1e7).
        const float log_s = std::log(s);
        float li = (1.0f - eps) * (log_s - (z[i * C + targets[i]] - max[i]));
        if (eps > 0.0f) li += eps * (log_s - zsum[i] / fc);  // zsum is already shifted by m
        if (row_loss) row_loss[i] = li;
        total += li;
        const float inv = 1.0f / s;
        for (int64_t j = 0; j < C; ++j) pi[j] *= inv;
    }
    return total;
}

void smoothed_one_hot(const int64_t* targets, int64_t N, int64_t C, float smoothing, float* q) {
    const float off = smoothing / static_cast<float>(C), on = 1.0f - smoothing + off;
    for (int64_t i = 0; i < N; ++i)
        for (int64_t j = 0; j < C; ++j) q[i * C + j] = j == targets[i] ? on : off;
}

void cross_entropy_backward(const float* p, const int64_t* targets, int64_t N, int64_t C,
                            float smoothing, const float* w, bool per_row, float* d) {
    const float off = smoothing / static_cast<float>(C), on = 1.0f - smoothing + off;
    for (int64_t i = 0; i < N; ++i) {
        const float wi = per_row ? w[i] : w[0];
        for (int64_t j = 0; j < C; ++j) d[i * C + j] = wi * (p[i * C + j] - off);
        d[i * C + targets[i]] -= wi * (on - off);
    }
}

}  // namespace descent::kernels
