// The matrix product kernel: cblas_sgemm on contiguous row-major buffers. Transposed operands are
// passed as flags, so the products of backward (G Bᵀ, Aᵀ G) copy nothing. And the dot product,
// cblas_sdot.
#pragma once

#include <cstdint>

namespace descent::kernels {

// C (M×N) = alpha · op(A) · op(B) + beta · C, where op(A) is M×K and op(B) is K×N.
// A is stored M×K, or K×M when trans_a; B is stored K×N, or N×K when trans_b. beta = 1 accumulates.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          const float* B, float beta, float* C);

// xᵀy over n floats, accumulated in float by OpenBLAS's sdot: what torch.dot computes on a CPU
// build linked to the same OpenBLAS, bit for bit (LBFGS follows torch.optim.LBFGS with it).
float dot(int64_t n, const float* x, const float* y);

}  // namespace descent::kernels
