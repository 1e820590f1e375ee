// The matrix product kernel: sgemm on contiguous row-major buffers, by oneDNN (the default when
// descent is built with it) or OpenBLAS; dgemm always by OpenBLAS (oneDNN has none). Transposed
// operands are passed as flags, so the products of backward (G Bᵀ, Aᵀ G) copy nothing. And the dot
// product, OpenBLAS's cblas_sdot / cblas_ddot.
#pragma once

#include <cstdint>
#include <string>

namespace descent::kernels {

// C (M×N) = alpha · op(A) · op(B) + beta · C, where op(A) is M×K and op(B) is K×N.
// A is stored M×K, or K×M when trans_a; B is stored K×N, or N×K when trans_b. beta = 1 accumulates.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          const float* B, float beta, float* C);
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, double alpha,
          const double* A, const double* B, double beta, double* C);
// The same with the stored row lengths given (lda >= the stored width of A, ldb of B): a row-major
// block of a wider matrix, or a strided view whose rows are `lda` floats apart, without a copy.
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C);
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, double alpha,
          const double* A, int64_t lda, const double* B, int64_t ldb, double beta, double* C);

// xᵀy over n floats, accumulated in float by OpenBLAS's sdot: what torch.dot computes on a CPU
// build linked to the same OpenBLAS, bit for bit (LBFGS follows torch.optim.LBFGS with it).
float dot(int64_t n, const float* x, const float* y);
// xᵀy over n doubles, OpenBLAS's ddot
double dot(int64_t n, const double* x, const double* y);

// Who computes gemm. oneDNN picks its kernels from the CPU's features; OpenBLAS 0.3.21 from a table
// of CPU models, and falls back to SSE3 kernels on a model it does not know (docs/design.md, "Which
// GEMM kernels run"). oneDNN is the default whenever descent was built with it.
enum class GemmBackend { OpenBLAS, OneDNN };
bool has_onednn();  // built with oneDNN (libdnnl-dev)
// "oneDNN 2.6.3 <what> (<the instruction set its kernels use>)", for gemm_backend() and
// conv_backend().
std::string onednn_name(const std::string& what);
GemmBackend gemm_backend_kind();
// For tests and benchmarks that compare the two; ValueError for OneDNN when it was not built.
void set_gemm_backend(GemmBackend backend);

// The widest vector instructions the CPU and OS offer for sgemm: what decides which kernels can
// reach the machine's speed.
enum class CpuLevel { Sse, Avx2, Avx512 };
CpuLevel cpu_level();
// When OpenBLAS's kernel set `core` (openblas_get_corename()) is slower than `cpu` allows, the
// one-line warning descent prints (once, on stderr) before OpenBLAS computes a product, with the
// fix; empty when the kernels fit the CPU.
std::string openblas_fallback_warning(const std::string& core, CpuLevel cpu);

}  // namespace descent::kernels
