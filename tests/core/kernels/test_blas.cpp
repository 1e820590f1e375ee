// kernels::gemm against xt::linalg::dot (xtensor-blas) as the reference: all four transpose
// combinations, alpha and beta, K = 0 and odd shapes, each backend against a naive loop;
// kernels::dot, the backend's name and its warning. The only file that includes xtensor-blas (its
// declarations clash with <cblas.h>, which only core/kernels/blas.cpp includes).
#include "support.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <thread>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xmath.hpp>

#include "descent/core/kernels/blas.hpp"
#include "descent/core/kernels/parallel.hpp"
#include "descent/core/threads.hpp"

using namespace descent;

namespace {

// t's data seen as a rows × cols matrix (no copy).
auto as_matrix(Tensor& t, int64_t rows, int64_t cols) {
    return xt::adapt(t.data(), static_cast<size_t>(t.numel()), xt::no_ownership(),
                     std::array<size_t, 2>{static_cast<size_t>(rows), static_cast<size_t>(cols)});
}

struct Gemm {
    bool ta, tb;
    int64_t M, N, K;
    float alpha, beta;
};

// A, B stored as gemm expects (transposed when asked), C0 the initial C; all from `seed`.
struct Operands {
    Tensor A, B, C0;
};

Operands operands(const Gemm& g, uint64_t seed) {
    Generator gen(seed);
    return {randn(g.ta ? Shape{g.K, g.M} : Shape{g.M, g.K}, gen),
            randn(g.tb ? Shape{g.N, g.K} : Shape{g.K, g.N}, gen), randn({g.M, g.N}, gen)};
}

// alpha · op(A) · op(B) + beta · C0, by xt::linalg::dot (on transpose views: the flags again).
xt::xarray<float> reference(const Gemm& g, Operands& o) {
    auto a = as_matrix(o.A, g.ta ? g.K : g.M, g.ta ? g.M : g.K);
    auto b = as_matrix(o.B, g.tb ? g.N : g.K, g.tb ? g.K : g.N);
    auto c0 = as_matrix(o.C0, g.M, g.N);
    xt::xarray<float> ab;
    if (g.ta && g.tb) ab = xt::linalg::dot(xt::transpose(a), xt::transpose(b));
    if (g.ta && !g.tb) ab = xt::linalg::dot(xt::transpose(a), b);
    if (!g.ta && g.tb) ab = xt::linalg::dot(a, xt::transpose(b));
    if (!g.ta && !g.tb) ab = xt::linalg::dot(a, b);
    xt::xarray<float> r = g.alpha * ab;
    if (g.beta != 0.0f) r += g.beta * c0;  // beta = 0 ignores C0 entirely, NaNs included
    return r;
}

// Runs kernels::gemm on a copy of C0 and returns the result.
Tensor run(const Gemm& g, const Operands& o, const Tensor& c0) {
    Tensor c = c0.clone();
    kernels::gemm(g.ta, g.tb, g.M, g.N, g.K, g.alpha, o.A.data(), o.B.data(), g.beta, c.data());
    return c;
}

// gemm against the reference, element by element; float error grows like √K.
// C = alpha op(A) op(B) + beta C by kernels::gemm against the xtensor-blas reference.
test::Outcome gemm_matches(const Gemm& g, uint64_t seed, bool nan_in_c = false) {
    Operands o = operands(g, seed);
    if (nan_in_c) o.C0.fill_(std::numeric_limits<float>::quiet_NaN());
    const xt::xarray<float> ref = reference(g, o);
    Tensor c = run(g, o, o.C0);
    REQUIRE(ref.size() == static_cast<size_t>(c.numel()));
    const double tol = 1e-6 * std::sqrt(static_cast<double>(std::max<int64_t>(g.K, 1)));
    double worst = 0.0;
    int64_t bad = 0;
    for (int64_t i = 0; i < c.numel(); ++i) {
        const double want = ref.data()[i], got = c.data()[i];
        const double err = std::abs(got - want) / (1.0 + std::abs(want));
        if (!(err <= 8 * tol)) ++bad;  // also counts a NaN
        worst = std::max(worst, err);
    }
    return {bad == 0, descent::detail::cat("M ", g.M, " N ", g.N, " K ", g.K, " trans_a ", g.ta,
                                           " trans_b ", g.tb, " alpha ", g.alpha, " beta ", g.beta,
                                           ": ", bad, " elements off, worst scaled error ", worst,
                                           ", allowed ", 8 * tol)};
}

}  // namespace

TEST_CASE("gemm computes hand-checked products for every transpose flag") {
    // [[1 2 3] [4 5 6]] · [[7 8] [9 10] [11 12]] = [[58 64] [139 154]], operands stored as is or
    // transposed.
    const float A[] = {1, 2, 3, 4, 5, 6}, At[] = {1, 4, 2, 5, 3, 6};
    const float B[] = {7, 8, 9, 10, 11, 12}, Bt[] = {7, 9, 11, 8, 10, 12};
    for (const bool ta : {false, true})
        for (const bool tb : {false, true}) {
            INFO("trans_a ", ta, " trans_b ", tb);
            float C[4] = {-1, -1, -1, -1};
            kernels::gemm(ta, tb, 2, 2, 3, 1.0f, ta ? At : A, tb ? Bt : B, 0.0f, C);
            CHECK(C[0] == 58);
            CHECK(C[1] == 64);
            CHECK(C[2] == 139);
            CHECK(C[3] == 154);
        }
    // 1×1: C = 2 · 3 · 4 + 1 · 1.
    const float a = 3, b = 4;
    float c = 1;
    kernels::gemm(false, false, 1, 1, 1, 2.0f, &a, &b, 1.0f, &c);
    CHECK(c == 25);
}

TEST_CASE("gemm matches xt::linalg::dot for all four transpose combinations") {
    const std::vector<std::array<int64_t, 3>> shapes = {
        // M, N, K
        {1, 1, 1}, {4, 5, 3}, {17, 5, 33},  {5, 17, 33}, {3, 7, 1},
        {1, 9, 4}, {8, 1, 6}, {33, 17, 65}, {2, 2, 128}, {64, 10, 100}};
    uint64_t seed = 1;
    for (const auto& [M, N, K] : shapes)
        for (const bool ta : {false, true})
            for (const bool tb : {false, true})
                CHECK_OUTCOME(gemm_matches({ta, tb, M, N, K, 1.0f, 0.0f}, seed++));
}

TEST_CASE("gemm scales by alpha") {
    uint64_t seed = 100;
    for (const float alpha : {2.5f, -1.0f, 0.125f, 0.0f})
        for (const bool ta : {false, true})
            for (const bool tb : {false, true})
                CHECK_OUTCOME(gemm_matches({ta, tb, 6, 4, 5, alpha, 0.0f}, seed++));
    // alpha = 0, beta = 0: all zeros, whatever A and B hold.
    Gemm g{false, false, 3, 2, 4, 0.0f, 0.0f};
    Operands o = operands(g, 7);
    CHECK(equal(run(g, o, o.C0), zeros({3, 2})));
}

TEST_CASE("gemm with beta = 1 accumulates into C, beta = 0 overwrites it") {
    uint64_t seed = 200;
    for (const bool ta : {false, true})
        for (const bool tb : {false, true}) {
            CHECK_OUTCOME(gemm_matches({ta, tb, 17, 5, 33, 1.0f, 1.0f},
                                       seed++));  // C += AB, as backward does
            CHECK_OUTCOME(
                gemm_matches({ta, tb, 7, 3, 4, -0.5f, 0.75f}, seed++));  // both scalings at once
            CHECK_OUTCOME(
                gemm_matches({ta, tb, 7, 3, 4, 1.0f, 0.0f}, seed++, true));  // C held NaN: not read
        }
    // Two accumulating calls from zero give twice the product.
    Gemm g{false, true, 4, 3, 5, 1.0f, 1.0f};
    Operands o = operands(g, 9);
    Tensor c = zeros({4, 3});
    kernels::gemm(g.ta, g.tb, g.M, g.N, g.K, 1.0f, o.A.data(), o.B.data(), 1.0f, c.data());
    kernels::gemm(g.ta, g.tb, g.M, g.N, g.K, 1.0f, o.A.data(), o.B.data(), 1.0f, c.data());
    Tensor once = zeros({4, 3});
    kernels::gemm(g.ta, g.tb, g.M, g.N, g.K, 2.0f, o.A.data(), o.B.data(), 0.0f, once.data());
    CHECK(allclose(c, once, 1e-6, 1e-6));
}

TEST_CASE("gemm with K = 0 is beta · C, without reading A or B") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    float c0[6] = {nan, nan, nan, nan, nan, nan};
    kernels::gemm(false, false, 2, 3, 0, 1.0f, nullptr, nullptr, 0.0f, c0);
    for (float v : c0) CHECK(v == 0.0f);

    float c1[6] = {1, 2, 3, 4, 5, 6};
    kernels::gemm(true, false, 3, 2, 0, 1.0f, nullptr, nullptr, 1.0f, c1);
    const float expect1[6] = {1, 2, 3, 4, 5, 6};
    for (int i = 0; i < 6; ++i) CHECK(c1[i] == expect1[i]);

    float c2[4] = {1, 2, 3, 4};
    kernels::gemm(false, true, 2, 2, 0, 3.0f, nullptr, nullptr, 0.5f, c2);
    const float expect2[4] = {0.5f, 1, 1.5f, 2};
    for (int i = 0; i < 4; ++i) CHECK(c2[i] == expect2[i]);
}

TEST_CASE("gemm with M = 0 or N = 0 writes nothing") {
    const float a[4] = {1, 2, 3, 4};
    float c[2] = {7, 8};
    kernels::gemm(false, false, 0, 2, 2, 1.0f, a, a, 0.0f, c);
    kernels::gemm(true, true, 2, 0, 2, 1.0f, a, a, 0.0f, c);
    CHECK(c[0] == 7);
    CHECK(c[1] == 8);
}

TEST_CASE("gemm is deterministic: repeated calls give bitwise equal results") {
    for (const bool ta : {false, true}) {
        Gemm g{ta, !ta, 17, 5, 33, 1.0f, 0.0f};
        Operands o = operands(g, 11);
        const Tensor first = run(g, o, o.C0);
        for (int i = 0; i < 3; ++i) CHECK(equal(run(g, o, o.C0), first));
    }
}

TEST_CASE("gemm split across the thread pool matches the reference for every flag and beta") {
    // Large enough to split (>= 2^18 multiply-adds): by rows (M >= N) and by columns (N > M).
    const int before = get_num_threads();
    uint64_t seed = 300;
    for (const int threads : {2, 3}) {
        kernels::set_pool_threads(
            threads);  // 3 may exceed the cores, which set_num_threads refuses
        for (const auto& [M, N, K] :
             std::vector<std::array<int64_t, 3>>{{200, 96, 40}, {64, 300, 50}})
            for (const bool ta : {false, true})
                for (const bool tb : {false, true})
                    for (const float beta : {0.0f, 1.0f})
                        CHECK_OUTCOME(gemm_matches({ta, tb, M, N, K, 1.5f, beta}, seed++));
    }
    set_num_threads(before);
    CHECK(get_num_threads() == before);
}

TEST_CASE("set_num_threads refuses more threads than cores, and fewer than one") {
    const int cores = num_cores();
    CHECK(cores == static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    const int before = get_num_threads();
    CHECK_ERROR(ValueError, [&] { set_num_threads(cores + 1); },
                {"set_num_threads()", std::to_string(cores + 1), "cores"});
    CHECK_ERROR(ValueError, [] { set_num_threads(1000); }, {"1000"});
    CHECK_ERROR(ValueError, [] { set_num_threads(0); }, {"got 0"});
    CHECK(get_num_threads() == before);  // a refused count changes nothing
    set_num_threads(cores);
    CHECK(get_num_threads() == cores);
    set_num_threads(before);
}

TEST_CASE("dot: hand-checked sums in float, 0 for n = 0, a double sum's value on long vectors") {
    const float x[] = {1.5f, -2.0f, 4.0f}, y[] = {2.0f, 0.25f, -1.0f};
    CHECK(kernels::dot(3, x, y) == 3.0f - 0.5f - 4.0f);
    CHECK(kernels::dot(0, x, y) == 0.0f);
    // Two terms rounded in float: 1 + 2^-30 is 1 in float, so the sum is 1, not 1 + 2^-30.
    const float a[] = {1.0f, 1.0f}, b[] = {1.0f, std::ldexp(1.0f, -30)};
    CHECK(kernels::dot(2, a, b) == 1.0f);
    Tensor u = test::input({1000}, 5), v = test::input({1000}, 6);
    double expected = 0;
    for (int64_t i = 0; i < 1000; ++i) expected += double(u.data()[i]) * v.data()[i];
    CHECK(kernels::dot(1000, u.data(), v.data()) == doctest::Approx(expected).epsilon(1e-5));
}

namespace {

// Every backend this build has, the default first; the guard restores the default.
std::vector<kernels::GemmBackend> backends() {
    std::vector<kernels::GemmBackend> all{kernels::gemm_backend_kind()};
    for (const auto b : {kernels::GemmBackend::OneDNN, kernels::GemmBackend::OpenBLAS})
        if (b != all[0] && (b == kernels::GemmBackend::OpenBLAS || kernels::has_onednn()))
            all.push_back(b);
    return all;
}
struct BackendGuard {
    kernels::GemmBackend saved = kernels::gemm_backend_kind();
    ~BackendGuard() { kernels::set_gemm_backend(saved); }
};

// alpha · op(A) · op(B) + beta · C0 by the textbook triple loop, in double.
std::vector<double> naive(const Gemm& g, const Operands& o) {
    std::vector<double> r(static_cast<size_t>(g.M * g.N));
    const float *A = o.A.data(), *B = o.B.data(), *C0 = o.C0.data();
    for (int64_t i = 0; i < g.M; ++i)
        for (int64_t j = 0; j < g.N; ++j) {
            double acc = 0;
            for (int64_t k = 0; k < g.K; ++k)
                acc += double(g.ta ? A[k * g.M + i] : A[i * g.K + k]) *
                       double(g.tb ? B[j * g.K + k] : B[k * g.N + j]);
            r[i * g.N + j] =
                g.alpha * acc + (g.beta != 0.0f ? g.beta * double(C0[i * g.N + j]) : 0.0);
        }
    return r;
}

test::Outcome matches_naive(const Gemm& g, const Operands& o, const Tensor& c) {
    const std::vector<double> ref = naive(g, o);
    const double tol = 8e-6 * std::sqrt(static_cast<double>(std::max<int64_t>(g.K, 1)));
    int64_t bad = 0;
    double worst = 0;
    for (int64_t i = 0; i < c.numel(); ++i) {
        const double err = std::abs(c.data()[i] - ref[i]) / (1.0 + std::abs(ref[i]));
        if (!(err <= tol)) ++bad;
        worst = std::max(worst, err);
    }
    return {bad == 0, descent::detail::cat(int(kernels::gemm_backend_kind()), ": M ", g.M, " N ",
                                           g.N, " K ", g.K, " trans_a ", g.ta, " trans_b ", g.tb,
                                           " beta ", g.beta, ": ", bad, " off, worst ", worst)};
}

}  // namespace

TEST_CASE("every gemm backend matches a naive loop at the workloads' shapes, 1 and 2 threads") {
    // The products of W1-W4 (forward NT, input gradient NN, weight gradient TN), LeNet's
    // per-image convolution products, odd sizes, and shapes large enough to split over the pool.
    const std::vector<std::array<int64_t, 3>> shapes = {
        {64, 128, 784}, {128, 784, 64}, {64, 10, 128},  {10, 128, 64}, {128, 512, 256},
        {6, 784, 25},   {25, 784, 6},   {16, 150, 100}, {1, 1, 1},     {7, 3, 1},
        {1, 33, 17},    {33, 1, 17},    {31, 29, 37},   {200, 96, 40}, {64, 300, 50}};
    BackendGuard guard;
    const int before = get_num_threads();
    uint64_t seed = 500;
    for (const auto backend : backends()) {
        kernels::set_gemm_backend(backend);
        for (const int threads : {1, 2}) {
            kernels::set_pool_threads(threads);
            for (const auto& [M, N, K] : shapes)
                for (const bool ta : {false, true})
                    for (const bool tb : {false, true})
                        for (const float beta : {0.0f, 1.0f}) {
                            const Gemm g{ta, tb, M, N, K, 0.75f, beta};
                            const Operands o = operands(g, seed++);
                            CHECK_OUTCOME(matches_naive(g, o, run(g, o, o.C0)));
                        }
        }
    }
    set_num_threads(before);
}

TEST_CASE("the oneDNN and OpenBLAS backends agree with each other and are each deterministic") {
    if (!kernels::has_onednn()) return;  // one backend only: nothing to compare
    BackendGuard guard;
    for (const bool ta : {false, true})
        for (const bool tb : {false, true}) {
            const Gemm g{ta, tb, 128, 512, 256, 1.0f, 1.0f};
            const Operands o = operands(g, 900 + 2 * ta + tb);
            kernels::set_gemm_backend(kernels::GemmBackend::OneDNN);
            const Tensor onednn = run(g, o, o.C0);
            CHECK(equal(run(g, o, o.C0), onednn));
            kernels::set_gemm_backend(kernels::GemmBackend::OpenBLAS);
            const Tensor openblas = run(g, o, o.C0);
            CHECK(equal(run(g, o, o.C0), openblas));
            CHECK(allclose(onednn, openblas, 1e-4, 1e-4));
        }
}

TEST_CASE("gemm_backend() names the backend in use and its kernels") {
    BackendGuard guard;
    kernels::set_gemm_backend(kernels::GemmBackend::OpenBLAS);
    CHECK(gemm_backend().find("OpenBLAS 0.") == 0);
    CHECK(gemm_backend().find("(" + blas_core_name() + " kernels)") != std::string::npos);
    if (kernels::has_onednn()) {
        kernels::set_gemm_backend(kernels::GemmBackend::OneDNN);
        CHECK(gemm_backend().find("oneDNN 2.") == 0);
        CHECK(gemm_backend().find("sgemm (") != std::string::npos);
        // A build with oneDNN uses it by default.
        CHECK(guard.saved == kernels::GemmBackend::OneDNN);
    } else {
        CHECK_ERROR(ValueError, [] { kernels::set_gemm_backend(kernels::GemmBackend::OneDNN); },
                    {"set_gemm_backend(OneDNN)", "without oneDNN"});
    }
}

TEST_CASE("OpenBLAS kernels slower than the CPU allows get one warning naming the fix") {
    using kernels::CpuLevel;
    // OpenBLAS 0.3.21 on the Xeon model it does not know: SSE3 kernels on an AVX-512 CPU.
    const std::string w = kernels::openblas_fallback_warning("Prescott", CpuLevel::Avx512);
    CHECK(w.find("Prescott kernels") != std::string::npos);
    CHECK(w.find("AVX-512") != std::string::npos);
    CHECK(w.find("OPENBLAS_CORETYPE=SkylakeX") != std::string::npos);
    CHECK(w.find("oneDNN") != std::string::npos);
    CHECK(kernels::openblas_fallback_warning("Haswell", CpuLevel::Avx512).find("1.5-2x") !=
          std::string::npos);
    CHECK(kernels::openblas_fallback_warning("Sandybridge", CpuLevel::Avx2)
              .find("OPENBLAS_CORETYPE=Haswell") != std::string::npos);
    // Kernels that fit: no warning.
    CHECK(kernels::openblas_fallback_warning("SkylakeX", CpuLevel::Avx512).empty());
    CHECK(kernels::openblas_fallback_warning("COOPERLAKE", CpuLevel::Avx512).empty());
    CHECK(kernels::openblas_fallback_warning("Zen", CpuLevel::Avx2).empty());
    CHECK(kernels::openblas_fallback_warning("SkylakeX", CpuLevel::Avx2).empty());
    CHECK(kernels::openblas_fallback_warning("Prescott", CpuLevel::Sse).empty());
}

TEST_CASE("gemm and dot in double (OpenBLAS's dgemm / ddot) against a naive triple loop") {
    BackendGuard guard;
    // Values with more than float's 24 bits, so a float product would differ.
    for (const auto backend : backends()) {
        kernels::set_gemm_backend(backend);  // double ignores it: always OpenBLAS
        for (const bool ta : {false, true})
            for (const bool tb : {false, true}) {
                const int64_t M = 5, N = 7, K = 3;
                std::vector<double> A(M * K), B(K * N), C(M * N);
                for (size_t i = 0; i < A.size(); ++i)
                    A[i] = 1.0 + 1e-10 * double(i) - 0.3 * double(i % 4);
                for (size_t i = 0; i < B.size(); ++i)
                    B[i] = 0.5 - 1e-11 * double(i) + 0.1 * double(i % 3);
                for (size_t i = 0; i < C.size(); ++i) C[i] = 1e-9 * double(i);
                const std::vector<double> C0 = C;
                kernels::gemm(ta, tb, M, N, K, 1.5, A.data(), B.data(), 0.5, C.data());
                for (int64_t m = 0; m < M; ++m)
                    for (int64_t n = 0; n < N; ++n) {
                        double s = 0;
                        for (int64_t k = 0; k < K; ++k)
                            s += (ta ? A[k * M + m] : A[m * K + k]) *
                                 (tb ? B[n * K + k] : B[k * N + n]);
                        CHECK(C[m * N + n] ==
                              doctest::Approx(1.5 * s + 0.5 * C0[m * N + n]).epsilon(1e-14));
                    }
            }
    }
    // the strided overload: the left 2×2 block of a 2×3 A (lda = 3) times the identity
    const double A[] = {1.0 + 1e-12, 2.0, 9.0, 3.0, 4.0, 9.0}, I[] = {1.0, 0.0, 0.0, 1.0};
    double C[4];
    kernels::gemm(false, false, 2, 2, 2, 1.0, A, 3, I, 2, 0.0, C);
    CHECK(C[0] == 1.0 + 1e-12);
    CHECK(C[3] == 4.0);
    // dot: 1 + 2^-30 survives in double
    const double x[] = {1.0, 1.0}, y[] = {1.0, std::ldexp(1.0, -30)};
    CHECK(kernels::dot(2, x, y) == 1.0 + std::ldexp(1.0, -30));
    CHECK(kernels::dot(0, x, y) == 0.0);
}
