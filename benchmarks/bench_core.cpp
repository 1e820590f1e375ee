// bench_core: the core milestone benchmark. It times forward + backward of C = matmul(A, B) through
// descent's autograd against the three bare cblas_sgemm calls that step must make (A·B, G·Bᵀ,
// Aᵀ·G), and the elementwise chain relu(a*b + c) through descent's ops against one fused C++ loop.
// When /usr/bin/python3 has torch, the same workloads run in PyTorch (torch_core.py, a child
// process) too. Figures are medians of fixed repetition counts after warm-up; descent and baseline
// iterations alternate, so drift in machine speed hits both sides alike. Run it through
// scripts/bench.sh.
#include <cblas.h>  // only this benchmark TU calls BLAS directly (descent wraps it in core/kernels)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "descent/core/kernels/blas.hpp"  // both GEMM backends, side by side
#include "descent/descent.hpp"

#include "child.hpp"
#include "examples/cli.hpp"  // --threads refused as the examples refuse it

#ifndef DESCENT_BENCH_DIR
#define DESCENT_BENCH_DIR "benchmarks"
#endif

namespace {

using descent::Tensor;
using Clock = std::chrono::steady_clock;

// ---- timing -----------------------------------------------------------------------------------

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Runs every candidate `warmup` times, then `reps` rounds in which each runs once, in turn.
// Returns each candidate's median time per call, in ms.
std::vector<double> interleaved_medians(const std::vector<std::function<void()>>& fns, int warmup,
                                        int reps) {
    for (int w = 0; w < warmup; ++w)
        for (const auto& f : fns) f();
    std::vector<std::vector<double>> times(fns.size());
    for (auto& t : times) t.reserve(reps);
    for (int r = 0; r < reps; ++r) {
        for (size_t i = 0; i < fns.size(); ++i) {
            const auto t0 = Clock::now();
            fns[i]();
            times[i].push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
    }
    std::vector<double> medians;
    for (auto& t : times) medians.push_back(median(std::move(t)));
    return medians;
}

float max_abs_diff(const float* a, const float* b, int64_t n) {
    float d = 0.0f;
    for (int64_t i = 0; i < n; ++i) d = std::max(d, std::fabs(a[i] - b[i]));
    return d;
}

// ---- the workloads ----------------------------------------------------------------------------

struct MatmulCase {
    int64_t M, K, N;
    int reps;  // fixed so that a whole run stays under ~60 s per thread count (see docs)
};
// The products of the W1/W2 training steps, and a large square one where sgemm dominates.
const std::vector<MatmulCase> kMatmulCases = {
    {64, 784, 128, 2000}, {128, 784, 512, 400}, {1024, 1024, 1024, 30}};
constexpr int64_t kElementwiseN = 1 << 20;  // 1M floats = 4 MiB per tensor
constexpr int kElementwiseReps = 1000;
int g_rep_divisor = 1;  // --quick: 10, a smoke test whose figures mean little

int reps_of(const MatmulCase& mc) { return std::max(5, mc.reps / g_rep_divisor); }
int elementwise_reps() { return std::max(20, kElementwiseReps / g_rep_divisor); }

struct MatmulResult {
    double descent_ms, descent_zero_ms, bare_ms, gflops;
    float check;  // max |descent grad - bare grad|: 0 when both ran the same sgemm calls
};

MatmulResult bench_matmul(const MatmulCase& mc) {
    const int64_t M = mc.M, K = mc.K, N = mc.N;
    descent::manual_seed(42);
    Tensor A = descent::randn({M, K}).requires_grad_();
    Tensor B = descent::randn({K, N}).requires_grad_();
    const Tensor G = descent::randn({M, N});

    // descent, gradients reset to none between steps (the buffer backward made becomes .grad()).
    auto descent_step = [&] {
        A.mutable_grad() = Tensor();
        B.mutable_grad() = Tensor();
        Tensor C = descent::matmul(A, B);
        C.backward(G);
    };
    // descent, gradients zeroed in place (PyTorch 1.x's zero_grad()): backward then adds into them.
    Tensor A2 = A.detach().clone().requires_grad_(), B2 = B.detach().clone().requires_grad_();
    auto descent_zero_step = [&] {
        if (A2.grad().defined()) A2.mutable_grad().zero_();
        if (B2.grad().defined()) B2.mutable_grad().zero_();
        Tensor C = descent::matmul(A2, B2);
        C.backward(G);
    };
    // bare: the same three products into preallocated buffers (descent tensors only as storage, so
    // both sides get the same alignment).
    Tensor C0 = descent::empty({M, N}), dA = descent::empty({M, K}), dB = descent::empty({K, N});
    const int m = static_cast<int>(M), k = static_cast<int>(K), n = static_cast<int>(N);
    const float *a = A.data(), *b = B.data(), *g = G.data();
    float *c = C0.data(), *da = dA.data(), *db = dB.data();
    // descent keeps OpenBLAS on one thread and splits products over its own pool; the bare baseline
    // gets OpenBLAS's own threading at the same thread count, then hands OpenBLAS back at 1.
    const int threads = descent::get_num_threads();
    auto bare_step = [&] {
        openblas_set_num_threads(threads);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c,
                    n);
        // dA (M×K) = G (M×N) · Bᵀ, B stored K×N
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, k, n, 1.0f, g, n, b, n, 0.0f, da,
                    k);
        // dB (K×N) = Aᵀ · G, A stored M×K
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, n, m, 1.0f, a, k, g, n, 0.0f, db,
                    n);
        openblas_set_num_threads(1);
    };

    const int reps = reps_of(mc);
    const int warmup = std::max(3, reps / 10);
    const auto med =
        interleaved_medians({descent_step, descent_zero_step, bare_step}, warmup, reps);
    MatmulResult r{};
    r.descent_ms = med[0];
    r.descent_zero_ms = med[1];
    r.bare_ms = med[2];
    r.gflops = 3.0 * 2.0 * double(M) * double(K) * double(N) / (r.bare_ms * 1e6);
    r.check = std::max(max_abs_diff(A.grad().data(), da, M * K),
                       max_abs_diff(B.grad().data(), db, K * N));
    r.check = std::max(r.check, max_abs_diff(A2.grad().data(), da, M * K));
    return r;
}

struct ElementwiseResult {
    double descent_ms, fused_ms;
    float check;
};

ElementwiseResult bench_elementwise() {
    descent::manual_seed(7);
    const Tensor a = descent::randn({kElementwiseN}), b = descent::randn({kElementwiseN}),
                 c = descent::randn({kElementwiseN});
    Tensor y_fused = descent::empty({kElementwiseN});
    // descent: three ops, three passes, three fresh outputs; no grad is recorded (no input needs
    // it). The result is dropped at once, as in torch_core.py: holding it would keep a fifth 4 MiB
    // buffer in the cache footprint of the next call.
    auto ops = [&] { const Tensor y = descent::relu(a * b + c); };
    const float *pa = a.data(), *pb = b.data(), *pc = c.data();
    float* py = y_fused.data();
    auto fused = [&] {
        for (int64_t i = 0; i < kElementwiseN; ++i) py[i] = std::max(pa[i] * pb[i] + pc[i], 0.0f);
    };
    const int reps = elementwise_reps();
    const auto med = interleaved_medians({ops, fused}, reps / 10, reps);
    // a*b+c is rounded twice in both versions unless the compiler contracts the fused loop into an
    // FMA, so allow one rounding of difference.
    const Tensor y_ops = descent::relu(a * b + c);
    return {med[0], med[1], max_abs_diff(y_ops.data(), py, kElementwiseN)};
}

// ---- PyTorch, in a child process --------------------------------------------------------------

// PATH's python3 may be a pyenv without torch, so Debian's is named; DESCENT_BENCH_PYTHON
// overrides.
std::string python() {
    const char* env = std::getenv("DESCENT_BENCH_PYTHON");
    return env && *env ? env : "/usr/bin/python3";
}

bool torch_available() {
    const std::string cmd = python() + " -c 'import torch' >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

// Runs torch_core.py at `threads` with `env` prepended to its command line, and returns its
// "RESULT key value" lines as key -> value.
std::map<std::string, std::string> run_torch(int threads, const std::string& env) {
    std::ostringstream cmd;
    // OpenBLAS reads these at load time; torch.set_num_threads (in the script) sets its OpenMP
    // pool.
    cmd << env << " OPENBLAS_NUM_THREADS=" << threads << " OMP_NUM_THREADS=" << threads << " "
        << python() << " " << DESCENT_BENCH_DIR << "/torch_core.py --threads " << threads
        << " --reps";
    for (const auto& mc : kMatmulCases) cmd << " " << reps_of(mc);
    cmd << " --elementwise-reps " << elementwise_reps();
    return bench::run_child(cmd.str(), "torch");
}

double as_ms(const std::map<std::string, std::string>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? NAN : std::atof(it->second.c_str());
}

std::string shape_name(const MatmulCase& mc) {
    std::ostringstream s;
    s << mc.M << "x" << mc.K << "·" << mc.K << "x" << mc.N;
    return s.str();
}

long peak_rss_mib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;  // Linux reports KiB
}

// ---- the GEMM kernels alone --------------------------------------------------------------------

// One product of the workloads (shared/WORKLOADS.md), as kernels::gemm gets it.
struct GemmShape {
    const char* use;
    bool ta, tb;
    int64_t M, N, K;
    int per_step;  // calls per training step (LeNet's convolutions run one per image)
};
const std::vector<GemmShape> kGemmShapes = {
    {"W1 fc1", false, true, 64, 128, 784, 1},       {"W1 fc1 dW", true, false, 128, 784, 64, 1},
    {"W1 fc2", false, true, 64, 10, 128, 1},        {"W1 fc2 dX", false, false, 64, 128, 10, 1},
    {"W1 fc2 dW", true, false, 10, 128, 64, 1},     {"W2 fc1", false, true, 128, 512, 784, 1},
    {"W2 fc1 dW", true, false, 512, 784, 128, 1},   {"W2 fc2", false, true, 128, 256, 512, 1},
    {"W2 fc2 dX", false, false, 128, 512, 256, 1},  {"W2 fc2 dW", true, false, 256, 512, 128, 1},
    {"W2 fc3", false, true, 128, 10, 256, 1},       {"W2 fc3 dX", false, false, 128, 256, 10, 1},
    {"W2 fc3 dW", true, false, 10, 256, 128, 1},    {"W4 fc1", false, true, 1000, 512, 784, 1},
    {"W4 fc2", false, true, 1000, 256, 512, 1},     {"W4 fc3", false, true, 1000, 10, 256, 1},
    {"W3 conv1", false, false, 6, 784, 25, 64},     {"W3 conv1 dW", false, true, 6, 25, 784, 64},
    {"W3 conv2", false, false, 16, 100, 150, 64},   {"W3 conv2 dX", true, false, 150, 100, 16, 64},
    {"W3 conv2 dW", false, true, 16, 150, 100, 64}, {"W3 fc1", false, true, 64, 120, 400, 1},
    {"W3 fc1 dW", true, false, 120, 400, 64, 1},    {"W3 fc2 dX", false, false, 64, 120, 84, 1},
    {"1024^3", false, false, 1024, 1024, 1024, 0},
};

// GF/s of kernels::gemm with each backend this build has, at the pool's thread count, the
// backends alternating call by call; and the time of each workload's products per step.
void bench_gemm_kernels() {
    using descent::kernels::GemmBackend;
    std::vector<GemmBackend> backends{GemmBackend::OpenBLAS};
    if (descent::kernels::has_onednn()) backends.push_back(GemmBackend::OneDNN);
    const GemmBackend saved = descent::kernels::gemm_backend_kind();
    std::printf(
        "GEMM kernels alone (kernels::gemm, C = op(A) op(B)), GF/s, median of alternating "
        "calls: OpenBLAS (%s kernels)%s\n",
        descent::blas_core_name().c_str(), backends.size() > 1 ? " | oneDNN" : "");
    std::map<std::string, std::vector<double>> step_ms;  // workload -> ms per step per backend
    for (const GemmShape& s : kGemmShapes) {
        descent::manual_seed(7);
        const Tensor A = descent::randn(s.ta ? descent::Shape{s.K, s.M} : descent::Shape{s.M, s.K});
        const Tensor B = descent::randn(s.tb ? descent::Shape{s.N, s.K} : descent::Shape{s.K, s.N});
        Tensor C = descent::zeros({s.M, s.N});
        const double flops = 2.0 * double(s.M) * double(s.N) * double(s.K);
        // About 0.3 s per shape, whatever its size.
        const int calls = std::max(1, static_cast<int>(3e7 / flops));
        const int reps = std::max(5, 60 / g_rep_divisor);
        std::vector<std::function<void()>> fns;
        for (const GemmBackend b : backends)
            fns.push_back([&, b] {
                descent::kernels::set_gemm_backend(b);
                for (int i = 0; i < calls; ++i)
                    descent::kernels::gemm(s.ta, s.tb, s.M, s.N, s.K, 1.0f, A.data(), B.data(),
                                           0.0f, C.data());
            });
        const std::vector<double> med = interleaved_medians(fns, 2, reps);
        std::printf("  %-12s %s%s %4lldx%4lldx%4lld ", s.use, s.ta ? "T" : "N", s.tb ? "T" : "N",
                    static_cast<long long>(s.M), static_cast<long long>(s.N),
                    static_cast<long long>(s.K));
        for (size_t b = 0; b < backends.size(); ++b) {
            const double ms = med[b] / calls;
            std::printf(" %7.1f", flops / (ms * 1e6));
            if (s.per_step > 0) {
                auto& v = step_ms[std::string(s.use).substr(0, 2)];
                v.resize(backends.size());
                v[b] += ms * s.per_step;
            }
        }
        std::printf("\n");
    }
    std::printf("  products per step, ms (the workloads' GEMM time):");
    for (const auto& [w, v] : step_ms) {
        std::printf("  %s", w.c_str());
        for (double ms : v) std::printf(" %.3f", ms);
    }
    std::printf("\n");
    descent::kernels::set_gemm_backend(saved);
}

// ---- one thread count -------------------------------------------------------------------------

void print_torch(const char* label, const std::map<std::string, std::string>& torch,
                 const std::vector<MatmulResult>& mm, const ElementwiseResult& ew) {
    std::printf("PyTorch, %s\n", label);
    std::printf("%-20s %9s %9s %8s %9s\n", "shape", "torch", "torch-z_", "d/torch", "dz/torchz");
    for (size_t i = 0; i < mm.size(); ++i) {
        const auto& mc = kMatmulCases[i];
        const std::string key =
            std::to_string(mc.M) + "x" + std::to_string(mc.K) + "x" + std::to_string(mc.N);
        const double tn = as_ms(torch, "mm_none_" + key), tz = as_ms(torch, "mm_zero_" + key);
        std::printf("%-21s %9.3f %9.3f %8.3f %9.3f\n", shape_name(mc).c_str(), tn, tz,
                    mm[i].descent_ms / tn, mm[i].descent_zero_ms / tz);
    }
    const double te = as_ms(torch, "elementwise");
    auto get = [&](const char* k) {
        auto it = torch.find(k);
        return it == torch.end() ? std::string("?") : it->second;
    };
    std::printf("  elementwise: torch ops %.3f ms, descent/torch %.2f\n", te, ew.descent_ms / te);
    std::printf("  torch %s, OpenBLAS threads in torch %s, peak RSS of the torch process %s MiB\n",
                get("version").c_str(), get("blas_threads").c_str(), get("rss_mib").c_str());
}

void run_at(int threads, bool with_torch) {
    descent::set_num_threads(threads);
    std::printf("\n== %d thread%s (OpenBLAS reports %d) ==\n", threads, threads == 1 ? "" : "s",
                descent::get_num_threads());
    std::fflush(stdout);
    const auto t0 = Clock::now();

    std::vector<MatmulResult> mm;
    for (const auto& mc : kMatmulCases) mm.push_back(bench_matmul(mc));
    const ElementwiseResult ew = bench_elementwise();
    bench_gemm_kernels();
    const double own_s = std::chrono::duration<double>(Clock::now() - t0).count();

    std::printf("matmul forward+backward (C = A·B, C.backward(G)), median ms per step\n");
    std::printf("%-20s %5s %9s %9s %9s %7s %7s %9s\n", "shape", "reps", "descent", "desc-z_",
                "bare", "d/bare", "dz/bare", "bare GF/s");
    for (size_t i = 0; i < mm.size(); ++i) {
        const auto& mc = kMatmulCases[i];
        const auto& r = mm[i];
        std::printf("%-21s %5d %9.3f %9.3f %9.3f %7.3f %7.3f %9.1f%s\n", shape_name(mc).c_str(),
                    reps_of(mc), r.descent_ms, r.descent_zero_ms, r.bare_ms,
                    r.descent_ms / r.bare_ms, r.descent_zero_ms / r.bare_ms, r.gflops,
                    r.check > 1e-3f ? "  GRADIENTS DIFFER" : "");
    }
    std::printf("elementwise relu(a*b + c), %lld floats, median ms\n",
                static_cast<long long>(kElementwiseN));
    std::printf("  descent ops %.3f   fused loop %.3f   ratio %.2f%s\n", ew.descent_ms, ew.fused_ms,
                ew.descent_ms / ew.fused_ms, ew.check > 1e-5f ? "  RESULTS DIFFER" : "");
    std::printf("descent side took %.1f s; peak RSS so far %ld MiB\n", own_s, peak_rss_mib());
    std::fflush(stdout);

    if (!with_torch) return;
    // PyTorch's defaults, then (with more than one thread) the tuning that helps it most on 2
    // cores: its OpenMP workers spin while OpenBLAS's own pool needs the same cores
    // (docs/benchmarks.md).
    print_torch("default settings", run_torch(threads, ""), mm, ew);
    if (threads > 1)
        print_torch("OMP_WAIT_POLICY=PASSIVE", run_torch(threads, "OMP_WAIT_POLICY=PASSIVE"), mm,
                    ew);
    std::fflush(stdout);
}

void usage(const char* argv0) {
    std::printf(
        "usage: %s [--threads N]... [--no-torch] [--quick]\n"
        "  --threads N  run at N OpenBLAS threads, 1 to the cores of this machine (repeatable;\n"
        "               default: 1 and 2)\n"
        "  --no-torch   skip the PyTorch comparison even if torch is installed\n"
        "  --quick      a tenth of the repetitions: a smoke test, not a measurement\n"
        "PyTorch runs through /usr/bin/python3, or $DESCENT_BENCH_PYTHON when set.\n",
        argv0);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<int> thread_counts;
    bool with_torch = true;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--threads" && i + 1 < argc) {
            const std::optional<int> n = examples::parse_threads("bench_core", argv[++i]);
            if (!n) return 2;
            thread_counts.push_back(*n);
        } else if (arg == "--quick") {
            g_rep_divisor = 10;
        } else if (arg == "--no-torch") {
            with_torch = false;
        } else {
            usage(argv[0]);
            return arg == "--help" || arg == "-h" ? 0 : 2;
        }
    }
    if (thread_counts.empty()) thread_counts = {1, 2};

    const char* coretype = std::getenv("OPENBLAS_CORETYPE");
    std::printf("descent bench_core\n");
    std::printf("matrix products by %s; OpenBLAS core: %s   OPENBLAS_CORETYPE=%s\n",
                descent::gemm_backend().c_str(), descent::blas_core_name().c_str(),
                coretype ? coretype : "(unset)");
    if (with_torch && !torch_available()) {
        std::printf("PyTorch: '%s -c \"import torch\"' failed; skipping the torch comparison\n",
                    python().c_str());
        with_torch = false;
    }
    std::printf(
        "descent = matmul + backward through autograd, grads reset to none each step; desc-z_ =\n"
        "the same with grads zeroed in place (zero_(), then backward accumulates); bare = 3 x\n"
        "cblas_sgemm into preallocated buffers; torch/torch-z_ = the same two variants in PyTorch\n"
        "(run after descent's, in a child process). Ratios below 1 mean descent is faster.\n");
    for (int t : thread_counts) run_at(t, with_torch);
    std::printf("\npeak RSS (this process): %ld MiB\n", peak_rss_mib());
    return 0;
}
