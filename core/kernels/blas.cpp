// The only translation unit that includes <cblas.h> (it clashes with xtensor-blas's declarations).
#include "blas.hpp"

#include <cblas.h>

#include <algorithm>
#include <climits>

#include "../error.hpp"
#include "../threads.hpp"

namespace descent {

namespace {

// The thread count the user asked for (set_num_threads, or OpenBLAS's default from the
// environment); gemm may run a product on fewer.
int& requested_threads() {
    static int n = openblas_get_num_threads();
    return n;
}

// OpenBLAS splits a product with a narrow side (a 10-class output layer) into slivers that run
// slower on two threads than on one (128×256·256×10: 11 -> 19 us; 1000×256·256×10: 78 -> 113 us);
// from 16 columns up, two threads win. Such products run on one thread.
int threads_for(int64_t M, int64_t N) {
    constexpr int64_t narrow = 16;
    return std::min(M, N) < narrow ? 1 : requested_threads();
}

}  // namespace

namespace kernels {

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          const float* B, float beta, float* C) {
    DESCENT_ASSERT(M <= INT_MAX && N <= INT_MAX && K <= INT_MAX, "(BLAS takes int sizes)");
    if (M == 0 || N == 0) return;
    if (K == 0) {  // an empty sum: C = beta * C (BLAS may not touch C at all)
        for (int64_t i = 0; i < M * N; ++i) C[i] = beta == 0.0f ? 0.0f : beta * C[i];
        return;
    }
    // Cheap (a store) when the count does not change, as in a run of same-sized products.
    const int threads = threads_for(M, N);
    if (openblas_get_num_threads() != threads) openblas_set_num_threads(threads);
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
    requested_threads() = n;
    openblas_set_num_threads(n);
}

int get_num_threads() { return requested_threads(); }

std::string blas_core_name() {
    const char* name = openblas_get_corename();
    return name ? name : "unknown";
}

}  // namespace descent
