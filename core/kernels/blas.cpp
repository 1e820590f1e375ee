// The only translation unit that includes <cblas.h> (it clashes with xtensor-blas's declarations).
#include "blas.hpp"

#include <cblas.h>

#include <climits>

#include "../error.hpp"
#include "../threads.hpp"

namespace descent {

namespace kernels {

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          const float* B, float beta, float* C) {
    DESCENT_ASSERT(M <= INT_MAX && N <= INT_MAX && K <= INT_MAX, "(BLAS takes int sizes)");
    if (M == 0 || N == 0) return;
    if (K == 0) {  // an empty sum: C = beta * C (BLAS may not touch C at all)
        for (int64_t i = 0; i < M * N; ++i) C[i] = beta == 0.0f ? 0.0f : beta * C[i];
        return;
    }
    // Row-major leading dimensions are the stored row lengths.
    const int lda = static_cast<int>(trans_a ? M : K);
    const int ldb = static_cast<int>(trans_b ? K : N);
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(M), static_cast<int>(N),
                static_cast<int>(K), alpha, A, lda, B, ldb, beta, C, static_cast<int>(N));
}

}  // namespace kernels

void set_num_threads(int n) {
    DESCENT_CHECK(n >= 1, ValueError, "set_num_threads(): n must be >= 1, got ", n);
    openblas_set_num_threads(n);
}

int get_num_threads() { return openblas_get_num_threads(); }

std::string blas_core_name() {
    const char* name = openblas_get_corename();
    return name ? name : "unknown";
}

}  // namespace descent
