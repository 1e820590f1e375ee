// Matrix products, on OpenBLAS sgemm. Transposed operands are passed to sgemm as flags, never
// copied, including in backward (dA = G·Bᵀ, dB = Aᵀ·G).
#pragma once

#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

// torch.matmul for 1-D to 3-D operands: 1-D·1-D is a dot product; a 1-D operand acts as a row
// (left) or column (right) vector; 3-D operands are batches, and a 2-D operand is broadcast over
// the other's batch.
Tensor matmul(const Tensor& a, const Tensor& b, CallSite = {});

// op(a) · op(b) for matrices, where op transposes when asked: no copy of the transposed operand.
Tensor mm(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false,
          CallSite = {});

// The same for batches: (B, n, k) · (B, k, m) -> (B, n, m).
Tensor bmm(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false,
           CallSite = {});

}  // namespace descent
