// Matrix products, on sgemm (core/kernels/blas.hpp). Transposed operands, given as flags or as
// transposed views (x.t()), are passed to sgemm as flags, never copied, including in backward
// (dA = G·Bᵀ, dB = Aᵀ·G).
#pragma once

#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

// torch.matmul: 1-D·1-D is a dot product; a 1-D operand acts as a row (left) or column (right)
// vector; the dims before the last two are batch dims, broadcast against each other as NumPy does
// ((2, 1, 5, 8) · (3, 8, 6) -> (2, 3, 5, 6)); a 2-D operand is one matrix for every batch.
Tensor matmul(const Tensor& a, const Tensor& b, CallSite = {});

// op(a) · op(b) for matrices, where op transposes when asked: no copy of the transposed operand.
Tensor mm(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false,
          CallSite = {});

// The same for batches: (B, n, k) · (B, k, m) -> (B, n, m).
Tensor bmm(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false,
           CallSite = {});

}  // namespace descent
