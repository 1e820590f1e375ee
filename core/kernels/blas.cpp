// The only translation unit that includes <cblas.h> (it clashes with xtensor-blas's declarations)
// and oneDNN: the choice of sgemm kernels, made once here (dgemm is always OpenBLAS's)
// (docs/design.md, "Which GEMM kernels run").
#include "descent/core/kernels/blas.hpp"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <climits>
#include <cstdio>
#include <mutex>
#include <thread>
#include <type_traits>

#ifdef DESCENT_WITH_ONEDNN
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#endif

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

#ifdef DESCENT_WITH_ONEDNN
std::atomic<kernels::GemmBackend> g_backend{kernels::GemmBackend::OneDNN};
#else
std::atomic<kernels::GemmBackend> g_backend{kernels::GemmBackend::OpenBLAS};
#endif

// OpenBLAS's kernels, once, before its first product: a warning with the fix when they are a slow
// fallback for this CPU. (oneDNN needs none: it picks its kernels from the CPU's features.)
void warn_if_openblas_fallback() {
    static std::once_flag once;
    std::call_once(once, [] {
        const std::string w =
            kernels::openblas_fallback_warning(blas_core_name(), kernels::cpu_level());
        if (!w.empty()) std::fprintf(stderr, "%s\n", w.c_str());
    });
}

// One single-threaded product on rows [m0, m1) and columns [n0, n1) of C.
void gemm_block(kernels::GemmBackend backend, bool trans_a, bool trans_b, int64_t N, int64_t K,
                float alpha, const float* A, int64_t lda, const float* B, int64_t ldb, float beta,
                float* C, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    // Row-major leading dimensions are the stored row lengths; a block starts inside them.
    const float* a = trans_a ? A + m0 : A + m0 * lda;
    const float* b = trans_b ? B + n0 * ldb : B + n0;
#ifdef DESCENT_WITH_ONEDNN
    if (backend == kernels::GemmBackend::OneDNN) {
        // oneDNN would start an OpenMP team of its own (spinning workers beside descent's pool):
        // one thread per call, as OpenBLAS, the caller's OpenMP setting restored after.
        const int outer = omp_get_max_threads();
        if (outer != 1) omp_set_num_threads(1);
        const dnnl_status_t status =
            dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m1 - m0, n1 - n0, K, alpha, a, lda,
                       b, ldb, beta, C + m0 * N + n0, N);
        if (outer != 1) omp_set_num_threads(outer);
        DESCENT_ASSERT(status == dnnl_success, "dnnl_sgemm failed with status ", int(status));
        return;
    }
#endif
    (void)backend;
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m1 - m0),
                static_cast<int>(n1 - n0), static_cast<int>(K), alpha, a, static_cast<int>(lda), b,
                static_cast<int>(ldb), beta, C + m0 * N + n0, static_cast<int>(N));
}

// The same in double: always OpenBLAS's dgemm (oneDNN has no double product).
void gemm_block(kernels::GemmBackend, bool trans_a, bool trans_b, int64_t N, int64_t K,
                double alpha, const double* A, int64_t lda, const double* B, int64_t ldb,
                double beta, double* C, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    const double* a = trans_a ? A + m0 : A + m0 * lda;
    const double* b = trans_b ? B + n0 * ldb : B + n0;
    cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, static_cast<int>(m1 - m0),
                static_cast<int>(n1 - n0), static_cast<int>(K), alpha, a, static_cast<int>(lda), b,
                static_cast<int>(ldb), beta, C + m0 * N + n0, static_cast<int>(N));
}

// Lower-case copy, for comparing OpenBLAS's core names.
std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

namespace kernels {

float dot(int64_t n, const float* x, const float* y) {
    DESCENT_ASSERT(n <= INT_MAX, "(BLAS takes int sizes)");
    take_over_threads();  // one thread: the order of the sum does not depend on the pool
    return n == 0 ? 0.0f : cblas_sdot(static_cast<int>(n), x, 1, y, 1);
}
double dot(int64_t n, const double* x, const double* y) {
    DESCENT_ASSERT(n <= INT_MAX, "(BLAS takes int sizes)");
    take_over_threads();
    return n == 0 ? 0.0 : cblas_ddot(static_cast<int>(n), x, 1, y, 1);
}

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          const float* B, float beta, float* C) {
    gemm(trans_a, trans_b, M, N, K, alpha, A, trans_a ? M : K, B, trans_b ? K : N, beta, C);
}
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, double alpha,
          const double* A, const double* B, double beta, double* C) {
    gemm(trans_a, trans_b, M, N, K, alpha, A, trans_a ? M : K, B, trans_b ? K : N, beta, C);
}

namespace {

// C (M×N) = alpha·op(A)·op(B) + beta·C, split over the pool; T is float or double.
template <class T>
void gemm_impl(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, T alpha, const T* A,
               int64_t lda, const T* B, int64_t ldb, T beta, T* C) {
    DESCENT_ASSERT(M <= INT_MAX && N <= INT_MAX && K <= INT_MAX, "(BLAS takes int sizes)");
    DESCENT_ASSERT(lda <= INT_MAX && ldb <= INT_MAX, "(BLAS takes int leading dimensions)");
    if (M == 0 || N == 0) return;
    if (K == 0) {  // an empty sum: C = beta * C (BLAS may not touch C at all)
        for (int64_t i = 0; i < M * N; ++i) C[i] = beta == T(0) ? T(0) : beta * C[i];
        return;
    }
    take_over_threads();
    const GemmBackend backend = g_backend.load(std::memory_order_relaxed);
    if (backend == GemmBackend::OpenBLAS || std::is_same_v<T, double>) warn_if_openblas_fallback();
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
        gemm_block(backend, trans_a, trans_b, N, K, alpha, A, lda, B, ldb, beta, C, 0, M, 0, N);
        return;
    }
    // C: (M, N) in `blocks` row or column blocks
    parallel_for(blocks, [&](int64_t i) {
        const int64_t lo = side * i / blocks, hi = side * (i + 1) / blocks;
        if (split_rows)
            gemm_block(backend, trans_a, trans_b, N, K, alpha, A, lda, B, ldb, beta, C, lo, hi, 0,
                       N);
        else
            gemm_block(backend, trans_a, trans_b, N, K, alpha, A, lda, B, ldb, beta, C, 0, M, lo,
                       hi);
    });
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C) {
    gemm_impl(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C);
}
void gemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, double alpha,
          const double* A, int64_t lda, const double* B, int64_t ldb, double beta, double* C) {
    gemm_impl(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C);
}

bool has_onednn() {
#ifdef DESCENT_WITH_ONEDNN
    return true;
#else
    return false;
#endif
}

GemmBackend gemm_backend_kind() { return g_backend.load(); }

void set_gemm_backend(GemmBackend backend) {
    DESCENT_CHECK(backend == GemmBackend::OpenBLAS || has_onednn(), ValueError,
                  "set_gemm_backend(OneDNN): descent was built without oneDNN (libdnnl-dev)");
    g_backend.store(backend);
}

CpuLevel cpu_level() {
    // GCC's checks include the OS's support for the wider registers (XGETBV), not only CPUID.
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return CpuLevel::Avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CpuLevel::Avx2;
    return CpuLevel::Sse;
}

std::string openblas_fallback_warning(const std::string& core, CpuLevel cpu) {
    // OpenBLAS 0.3.21's kernel sets by the widest instructions their sgemm uses.
    const std::string c = lower(core);
    const CpuLevel kernels = c == "skylakex" || c == "cooperlake" || c == "sapphirerapids"
                                 ? CpuLevel::Avx512
                             : c == "haswell" || c == "zen" ? CpuLevel::Avx2
                                                            : CpuLevel::Sse;
    if (kernels >= cpu) return "";
    const bool avx512 = cpu == CpuLevel::Avx512;
    return "descent: OpenBLAS runs its " + core + " kernels on a CPU with " +
           (avx512 ? "AVX-512" : "AVX2") + ", " + (kernels == CpuLevel::Sse ? "3-4x" : "1.5-2x") +
           " below the speed of its matrix products (OpenBLAS picks kernels from a table of CPU "
           "models). Fix: run with OPENBLAS_CORETYPE=" +
           (avx512 ? "SkylakeX" : "Haswell") + ", or build descent with oneDNN (libdnnl-dev).";
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

namespace kernels {
std::string onednn_name(const std::string& what) {
#ifdef DESCENT_WITH_ONEDNN
    const dnnl_version_t* v = dnnl_version();
    const char* isa = "";
    switch (dnnl_get_effective_cpu_isa()) {
        case dnnl_cpu_isa_sse41: isa = "sse41"; break;
        case dnnl_cpu_isa_avx: isa = "avx"; break;
        case dnnl_cpu_isa_avx2: isa = "avx2"; break;
        case dnnl_cpu_isa_avx2_vnni: isa = "avx2_vnni"; break;
        case dnnl_cpu_isa_avx512_core: isa = "avx512_core"; break;
        case dnnl_cpu_isa_avx512_core_vnni: isa = "avx512_core_vnni"; break;
        case dnnl_cpu_isa_avx512_core_bf16: isa = "avx512_core_bf16"; break;
        case dnnl_cpu_isa_avx512_core_amx: isa = "avx512_core_amx"; break;
        default: isa = "other"; break;
    }
    return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
           std::to_string(v->patch) + " " + what + " (" + isa + ")";
#else
    return what + " (descent built without oneDNN)";
#endif
}
}  // namespace kernels

std::string gemm_backend() {
    if (kernels::gemm_backend_kind() == kernels::GemmBackend::OneDNN)
        return kernels::onednn_name("sgemm");
    // openblas_get_config(): "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"
    std::string config = openblas_get_config();
    const size_t version_end = config.find(' ', config.find(' ') + 1);
    return config.substr(0, version_end) + " sgemm (" + blas_core_name() + " kernels)";
}

}  // namespace descent
