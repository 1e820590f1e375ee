// bench_mlp: workloads W1-W4 of shared/WORKLOADS.md on Fashion-MNIST, against PyTorch on the same
// workload in the same run (torch_mlp.py through /usr/bin/python3, when it has torch).
//   W1  784-128-10 ReLU, batch 64, SGD lr 0.1, one epoch of 60k: train samples/s
//   W2  784-512-256-10 ReLU, batch 128, Adam lr 1e-3, one epoch: train samples/s
//   W3  LeNet (conv 6 and 16, maxpool, 120-84-10), batch 64, SGD lr 0.05 momentum 0.9, one epoch
//   W4  the W2 model's forward on the 10k test set, batch 1000, no grad: samples/s
// Each (workload, threads) runs in a child process of its own (this program with --child), so each
// peak RSS is that workload's alone. Decoding the data is not timed; the shuffled batch gather is.
// Figures are medians of --runs epochs; each run starts from a fresh model. Heap allocations per
// training step are counted over the steps after the first ten of the first run (alloc_count.hpp).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <descent/core/kernels/blas.hpp>         // --gemm picks the backend
#include <descent/core/kernels/conv_onednn.hpp>  // and --conv
#include <descent/descent.hpp>

#include "alloc_count.hpp"
#include "child.hpp"
#include "examples/cli.hpp"  // --threads refused as the examples refuse it
#include "workload_models.hpp"

using namespace descent;
using Clock = std::chrono::steady_clock;

namespace {

using bench::median;
using bench::number;
using bench::peak_rss_mib;
using bench::python;
using bench::self_path;
using bench::torch_available;

std::string g_data = data::default_fashion_mnist_dir();
int g_runs = 3;
std::string g_gemm;  // --gemm: onednn or openblas; empty: the default backend
std::string g_conv;  // --conv: onednn or im2col; empty: the default

double test_accuracy(nn::Module& model, const std::shared_ptr<data::Dataset>& test) {
    NoGradGuard no_grad;
    model.eval();  // BatchNorm's running statistics, no dropout (W7)
    int64_t right = 0;
    for (const data::Batch& b : data::DataLoader(test, data::DataLoaderOptions().batch_size(1000)))
        right += train::correct(model(b.data), b.labels);
    model.train();
    return static_cast<double>(right) / static_cast<double>(test->size());
}

// One workload in this process: prints "RESULT key value" lines, as torch_mlp.py does.
int child(const std::string& workload, int threads) {
    set_num_threads(threads);
    auto train_set = std::make_shared<data::MNIST>(g_data, data::MNIST::Split::Train);
    auto test_set = std::make_shared<data::MNIST>(g_data, data::MNIST::Split::Test);
    std::vector<double> seconds;
    double accuracy = NAN;

    if (workload == "W4") {
        manual_seed(0);
        auto model = bench::mlp({784, 512, 256, 10});
        NoGradGuard no_grad;
        data::DataLoader loader(test_set, data::DataLoaderOptions().batch_size(1000));
        // Decoding is not timed: the batches are made once, as torch_mlp.py slices a decoded
        // tensor.
        std::vector<Tensor> batches;
        for (const data::Batch& b : loader) batches.push_back(b.data);
        for (int run = 0; run <= g_runs; ++run) {  // run 0 warms up
            const auto t0 = Clock::now();
            for (const Tensor& x : batches) (*model)(x);
            if (run > 0)
                seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
        }
        std::printf("RESULT samples_per_s %.1f\n", test_set->size() / median(seconds));
    } else {
        const bool w1 = workload == "W1", w3 = workload == "W3", w7 = workload == "W7";
        uint64_t allocs_before = 0, allocs = 0;
        int64_t counted_steps = 0;
        for (int run = 0; run < g_runs; ++run) {
            manual_seed(static_cast<uint64_t>(run));
            auto model = w3   ? bench::lenet()
                         : w7 ? bench::bn_cnn()
                         : w1 ? bench::mlp({784, 128, 10})
                              : bench::mlp({784, 512, 256, 10});
            std::unique_ptr<optim::Optimizer> opt;
            if (w3)
                opt = std::make_unique<optim::SGD>(model->parameters(),
                                                   optim::SGDOptions(0.05).momentum(0.9));
            else if (w1)
                opt = std::make_unique<optim::SGD>(model->parameters(), optim::SGDOptions(0.1));
            else if (w7)
                opt = std::make_unique<optim::Adam>(model->parameters(), optim::AdamOptions(2e-3));
            else
                opt = std::make_unique<optim::Adam>(model->parameters(), optim::AdamOptions(1e-3));
            data::DataLoader loader(
                train_set,
                data::DataLoaderOptions().batch_size(w1 || w3 || w7 ? 64 : 128).shuffle(true).seed(run));
            const auto t0 = Clock::now();
            int64_t step = 0;
            for (const data::Batch& b : loader) {
                if (run == 0 && step == 10) allocs_before = bench::allocations();
                const Tensor loss = nn::functional::cross_entropy((*model)(b.data), b.labels);
                opt->zero_grad();
                loss.backward();
                opt->step();
                ++step;
            }
            if (run == 0) {
                allocs = bench::allocations() - allocs_before;
                counted_steps = step - 10;
            }
            seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
            if (run == 0) accuracy = test_accuracy(*model, test_set);
        }
        std::printf("RESULT samples_per_s %.1f\n", train_set->size() / median(seconds));
        std::printf("RESULT accuracy %.4f\n", accuracy);
        std::printf("RESULT allocs_per_step %.1f\n",
                    counted_steps > 0 ? static_cast<double>(allocs) / counted_steps : 0.0);
    }
    std::printf("RESULT rss_mib %ld\n", peak_rss_mib());
    return 0;
}

// ---- the parent: run each side in a child, print the table --------------------------------------

std::map<std::string, std::string> run_child(const std::string& cmd) {
    return bench::run_child(cmd, "child");
}

void usage(const char* argv0) {
    std::printf(
        "usage: %s [--workload W1|W2|W3|W4|W7]... [--threads N]... [--runs N] [--data DIR] "
        "[--gemm onednn|openblas] [--conv onednn|im2col] [--no-torch]\n"
        "  default: W1, W2, W3 and W4 at 1 and 2 threads (W7, the bn CNN, when named), 3 runs each, PyTorch too when "
        "installed.\n"
        "  --gemm: the backend of descent's matrix products (default: oneDNN when built with it).\n"
        "  --conv: the backend of descent's float convolutions (default: oneDNN when built with "
        "it).\n"
        "  PyTorch runs through /usr/bin/python3, or $DESCENT_BENCH_PYTHON when set.\n",
        argv0);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> workloads;
    std::vector<int> thread_counts;
    std::string child_workload;
    bool with_torch = true;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--workload" && has_value) {
            workloads.push_back(argv[++i]);
            if (workloads.back() != "W1" && workloads.back() != "W2" && workloads.back() != "W3" &&
                workloads.back() != "W4" && workloads.back() != "W7") {
                std::fprintf(stderr, "--workload: expected W1, W2, W3, W4 or W7, got '%s'\n",
                             argv[i]);
                return 2;
            }
        } else if (arg == "--threads" && has_value) {
            const std::optional<int> n = examples::parse_threads("bench_mlp", argv[++i]);
            if (!n) return 2;
            thread_counts.push_back(*n);
        } else if (arg == "--runs" && has_value) {
            g_runs = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--data" && has_value) {
            g_data = argv[++i];
        } else if (arg == "--child" && has_value) {
            child_workload = argv[++i];
        } else if (arg == "--gemm" && has_value) {
            g_gemm = argv[++i];
            if (g_gemm != "onednn" && g_gemm != "openblas") {
                std::fprintf(stderr, "--gemm: expected onednn or openblas, got '%s'\n", argv[i]);
                return 2;
            }
            try {
                kernels::set_gemm_backend(g_gemm == "onednn" ? kernels::GemmBackend::OneDNN
                                                             : kernels::GemmBackend::OpenBLAS);
            } catch (const descent::Error& e) {
                std::fprintf(stderr, "bench_mlp: --gemm %s: %s\n", g_gemm.c_str(), e.what());
                return 2;
            }
        } else if (arg == "--conv" && has_value) {
            g_conv = argv[++i];
            if (g_conv != "onednn" && g_conv != "im2col") {
                std::fprintf(stderr, "--conv: expected onednn or im2col, got '%s'\n", argv[i]);
                return 2;
            }
            try {
                kernels::set_conv_backend(g_conv == "onednn" ? kernels::ConvBackend::OneDNN
                                                             : kernels::ConvBackend::Im2col);
            } catch (const descent::Error& e) {
                std::fprintf(stderr, "bench_mlp: --conv %s: %s\n", g_conv.c_str(), e.what());
                return 2;
            }
        } else if (arg == "--no-torch") {
            with_torch = false;
        } else {
            usage(argv[0]);
            return arg == "--help" || arg == "-h" ? 0 : 2;
        }
    }
    if (thread_counts.empty()) thread_counts = {1, 2};
    if (!child_workload.empty()) {
        try {
            return child(child_workload, thread_counts.front());
        } catch (const descent::Error& e) {
            std::fprintf(stderr, "bench_mlp: %s\n", e.what());
            return 1;
        }
    }
    if (workloads.empty()) workloads = {"W1", "W2", "W3", "W4"};
    if (with_torch && !torch_available()) {
        std::printf("PyTorch: '%s -c \"import torch\"' failed; skipping it\n", python().c_str());
        with_torch = false;
    }
    const char* coretype = std::getenv("OPENBLAS_CORETYPE");
    std::printf(
        "descent bench_mlp: matrix products by %s; convolutions by %s; OpenBLAS core %s, "
        "OPENBLAS_CORETYPE=%s; %d run(s) per figure\n\n",
        gemm_backend().c_str(), conv_backend().c_str(), blas_core_name().c_str(), coretype ? coretype : "(unset)", g_runs);
    std::printf(
        "| workload | threads | descent samples/s | PyTorch samples/s | descent/PyTorch | "
        "descent acc | PyTorch acc | descent RSS MiB | PyTorch RSS MiB | descent allocs/step |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    std::fflush(stdout);
    for (int threads : thread_counts) {
        for (const std::string& w : workloads) {
            std::ostringstream env;
            env << "OPENBLAS_NUM_THREADS=" << threads << " OMP_NUM_THREADS=" << threads << " ";
            std::ostringstream ours, theirs;
            ours << self_path("bench_mlp") << " --child " << w << " --threads " << threads
                 << " --runs " << g_runs << " --data '" << g_data << "'";
            if (!g_gemm.empty()) ours << " --gemm " << g_gemm;
            if (!g_conv.empty()) ours << " --conv " << g_conv;
            const auto d = run_child(ours.str());
            std::map<std::string, std::string> t;
            if (with_torch) {
                theirs << env.str() << python() << " " << DESCENT_BENCH_DIR
                       << "/torch_mlp.py --workload " << w << " --threads " << threads << " --runs "
                       << g_runs << " --data '" << g_data << "'";
                t = run_child(theirs.str());
            }
            const double ds = number(d, "samples_per_s"), ts = number(t, "samples_per_s");
            std::printf("| %s | %d | %.0f | %.0f | %.2f | %.4f | %.4f | %.0f | %.0f | %.0f |\n",
                        w.c_str(), threads, ds, ts, ds / ts, number(d, "accuracy"),
                        number(t, "accuracy"), number(d, "rss_mib"), number(t, "rss_mib"),
                        number(d, "allocs_per_step"));
            std::fflush(stdout);
        }
    }
    return 0;
}
