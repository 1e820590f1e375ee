// The loops behind nn/functional's fused ops (linear's bias, GELU, dropout's mask, the
// cross-entropy losses), so that nn/ composes kernels and ops and holds no hand loops. Each for
// float and double buffers.
#pragma once

#include <cstdint>

namespace descent::kernels {

// row [cols] -> out [rows, cols]: every row a copy of `row` (a bias before y += x·Wᵀ)
void broadcast_rows(const float* row, int64_t rows, int64_t cols, float* out);
void broadcast_rows(const double* row, int64_t rows, int64_t cols, double* out);

// x, y: [n], distinct;  y = x·Φ(x) (exact) or ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (tanh_form)
void gelu(const float* x, int64_t n, bool tanh_form, float* y);
void gelu(const double* x, int64_t n, bool tanh_form, double* y);

// m: [n] uniform [0, 1) in, mask out: 0 where m < p, else scale
void dropout_mask(float* m, int64_t n, float p, float scale);
void dropout_mask(double* m, int64_t n, double p, double scale);

// x, y, l: [n];  l = -(y·max(log x, -100) + (1 - y)·max(log(1 - x), -100))   (PyTorch's clamp)
void binary_cross_entropy(const float* x, const float* y, int64_t n, float* l);
void binary_cross_entropy(const double* x, const double* y, int64_t n, double* l);
// x, y, l: [n];  l = max(x, 0) - x·y + log(1 + exp(-|x|))   (stable for any x)
void binary_cross_entropy_with_logits(const float* x, const float* y, int64_t n, float* l);
void binary_cross_entropy_with_logits(const double* x, const double* y, int64_t n, double* l);

// logits [N, C], targets [N] -> probs [N, C] = softmax(logits), row_loss [N] (may be null), and
// the sum of the row losses (in double): -Σ_j q_ij log softmax(z_i)_j with q the target one-hot
// smoothed by `smoothing` (q = (1 - ε)·onehot + ε/C).
double cross_entropy(const float* logits, const int64_t* targets, int64_t N, int64_t C,
                     float smoothing, float* probs, float* row_loss);
double cross_entropy(const double* logits, const int64_t* targets, int64_t N, int64_t C,
                     double smoothing, double* probs, double* row_loss);
// targets [N] -> q [N, C]: 1 - ε + ε/C at the target, ε/C elsewhere
void smoothed_one_hot(const int64_t* targets, int64_t N, int64_t C, float smoothing, float* q);
void smoothed_one_hot(const int64_t* targets, int64_t N, int64_t C, double smoothing, double* q);
// probs [N, C], targets [N], w [N] (or one value when !per_row) -> dz [N, C] = w_i·(p_ij - q_ij)
void cross_entropy_backward(const float* probs, const int64_t* targets, int64_t N, int64_t C,
                            float smoothing, const float* w, bool per_row, float* dz);
void cross_entropy_backward(const double* probs, const int64_t* targets, int64_t N, int64_t C,
                            double smoothing, const double* w, bool per_row, double* dz);

}  // namespace descent::kernels
