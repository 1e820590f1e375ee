// Softmax kernels along one axis, numerically stable: the axis max is subtracted before exp, so no
// input overflows. The exp runs once over the whole buffer (SIMD), not per row. For float and
// double buffers.
#pragma once

#include "descent/core/kernels/reduce.hpp"

namespace descent::kernels {

// in, out: (outer, n, inner); n > 0
void softmax(const float* in, Axis axis, float* out);
void softmax(const double* in, Axis axis, double* out);
void log_softmax(const float* in, Axis axis, float* out);
void log_softmax(const double* in, Axis axis, double* out);
// in: (outer, n, inner) -> out: (outer, inner) = log Σ_j exp(in[:, j, :])
void logsumexp(const float* in, Axis axis, float* out);
void logsumexp(const double* in, Axis axis, double* out);

}  // namespace descent::kernels
