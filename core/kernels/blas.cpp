// The only translation unit that includes <cblas.h> (it clashes with xtensor-blas's declarations).
#include "descent/core/kernels/blas.hpp"

#include <cblas.h>

#include <algorithm>
#include <climits>
#include <mutex>
#include <thread>

#include "descent/core/error.hpp"
#include "descent/core/kernels/parallel.hpp"
#include "descent/core/threads.hpp"

namespace descent {

namespace {

// OpenBLAS runs single-threaded; descent's pool (parallel.hpp) splits large products instead.
// The pool starts with OpenBLAS's own default: one thread per core, or OPENBLAS_NUM_THREADS /
// OMP_NUM_THREADS when set.
void take_over_threads() {
    static std::once_flag once;
    std::call_once(once, [] {
        const int n = openblas_get_num_threads();
        openblas_set_num_threads(1);
        kernels::set_pool_threads(n);
    });
}

// One single-threaded product on rows [m0, m1) and columns [n0, n1) of C.
void gemm_block(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                const float* A, const float* B, float beta, float* C, int64_t m0, int64_t m1,
                int64_t n0, int64_t n1) {
    // Row-major leading dimensions are the stored row lengths; a block starts inside them.
    const int lda = static_cast<int>(trans_a ? M : K);
    const int ldb = static_cast<int>(trans_b ? K : N);
    const float* a = trans_a ? A + m0 : A + m0 * K;
    const float* b = trans_b ? B + n0 * K : B + n0;
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m1 - m0),
                static_cast<int>(n1 - n0), static_cast<int>(K), alpha, a, lda, b, ldb, beta,
                C + m0 * N + n0, static_cast<int>(N));
}

}  // namespace

namespace kernels {

float dot(int64_t n, const float* x, const float* y) {
    DESCENT_ASSERT(n <= INT_MAX, "(BLAS takes int sizes)");
    take_over_threads();  // one thread: the order of the sum does not depend on the pool
    return n == 0 ? 0.0f : cblas_sdot(static_cast<int>(n), x, 1, y, 1);
}

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          const float* B, float beta, float* C) {
    DESCENT_ASSERT(M <= INT_MAX && N <= INT_MAX && K <= INT_MAX, "(BLAS takes int sizes)");
    if (M == 0 || N == 0) return;
    if (K == 0) {  // an empty sum: C = beta * C (BLAS may not touch C at all)
        for (int64_t i = 0; i < M * N; ++i) C[i] = beta == 0.0f ? 0.0f : beta * C[i];
        return;
    }
    take_over_threads();
    // Below OpenBLAS's own threshold (2^18 multiply-adds) a product is not worth splitting. Larger
    // ones are cut along their longer side into blocks of at least 32, a few per thread, so that a
    // thread that gets descheduled holds up one small block rather than the product.
    const int threads = pool_threads();
    const bool split_rows = M >= N;
    const int64_t side = split_rows ? M : N;
    const int64_t blocks = threads > 1 && M * N * K >= (int64_t{1} << 18)
                               ? std::min<int64_t>(side / 32, 4 * threads)
                               : 1;
    if (blocks <= 1) {
        gemm_block(trans_a, trans_b, M, N, K, alpha, A, B, beta, C, 0, M, 0, N);
        return;
    }
    // C: (M, N) in `blocks` row or column blocks
    parallel_for(blocks, [&](int64_t i) {
        const int64_t lo = side * i / blocks, hi = side * (i + 1) / blocks;
        if (split_rows)
            gemm_block(trans_a, trans_b, M, N, K, alpha, A, B, beta, C, lo, hi, 0, N);
        else
            gemm_block(trans_a, trans_b, M, N, K, alpha, A, B, beta, C, 0, M, lo, hi);
    });
}

}  // namespace kernels

void set_num_threads(int n) {
    // More threads than cores only makes them wait on each other (1000 threads took minutes
    // per epoch): refused, as an unknown option would be.
    const int cores = num_cores();
    DESCENT_CHECK(n >= 1 && n <= cores, ValueError, "set_num_threads(): n must be in [1, ", cores,
                  "] (the cores of this machine), got ", n);
    take_over_threads();
    kernels::set_pool_threads(n);
}

int num_cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

int get_num_threads() {
    take_over_threads();
    return kernels::pool_threads();
}

std::string blas_core_name() {
    const char* name = openblas_get_corename();
    return name ? name : "unknown";
}

}  // namespace descent
