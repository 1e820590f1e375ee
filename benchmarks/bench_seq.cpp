// bench_seq: workloads W5 (char-LSTM) and W6 (tiny GPT) of shared/WORKLOADS.md on the fortunes
// corpus, against PyTorch on the same workload and the same tokens in the same run (torch_seq.py).
//   W5  Embedding(V, 64) -> LSTM(64 -> 256, batch_first) -> Linear(256, V); T 64, batch 32, Adam
//       lr 2e-3, clip_grad_norm 5; the state is carried across steps, detached (truncated BPTT)
//   W6  token + position Embedding(., 128) -> 4 pre-norm blocks (4-head causal attention with a
//       fused qkv Linear(128, 384), MLP 128-512-GELU-128) -> LayerNorm -> Linear(128, V); T 64,
//       batch 12, AdamW lr 1e-3 weight decay 0.1, clip_grad_norm 1
// Train tokens/s is the median over windows of 20 steps after the first window (warm-up); the
// validation loss (nats per character) is taken after --steps steps on 32 fixed windows. Each
// (workload, threads) runs in a child process, so each peak RSS is that workload's alone.
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

#include <descent/descent.hpp>

#include "child.hpp"
#include "examples/cli.hpp"  // --threads refused as the examples refuse it
#include "seq_workloads.hpp"

using namespace descent;
using Clock = std::chrono::steady_clock;

namespace {

using bench::median;
using bench::number;
using bench::peak_rss_mib;
using bench::python;
using bench::self_path;
using bench::torch_available;

std::string g_corpus = "/usr/share/games/fortunes";
int64_t g_steps = 200;
constexpr int64_t kWindow = 20;  // steps per timed window

// W5's model: tokens (B, T) -> logits (B·T, V), and the LSTM state after the last step.
struct CharLSTM : nn::Module {
    explicit CharLSTM(int64_t vocab) : nn::Module("CharLSTM") {
        embed = register_module("embed", std::make_shared<nn::Embedding>(vocab, 64));
        lstm = register_module(
            "lstm", std::make_shared<nn::LSTM>(nn::LSTMOptions(64, 256).batch_first(true)));
        head = register_module("head", std::make_shared<nn::Linear>(256, vocab));
    }
    Tensor step(const Tensor& tokens, std::optional<nn::LSTM::State>& state) {
        auto [out, next] = lstm->forward(embed->forward(tokens), state);
        state = nn::LSTM::State{std::get<0>(next).detach(), std::get<1>(next).detach()};
        return head->forward(out.reshape({-1, 256}));
    }
    std::shared_ptr<nn::Embedding> embed;
    std::shared_ptr<nn::LSTM> lstm;
    std::shared_ptr<nn::Linear> head;
};

// One pre-norm transformer block of W6: x + attn(ln1(x)), then + mlp(ln2(x)).
struct Block : nn::Module {
    explicit Block(int64_t C, int64_t heads) : nn::Module("Block"), C(C), heads(heads) {
        ln1 = register_module("ln1", std::make_shared<nn::LayerNorm>(std::vector<int64_t>{C}));
        qkv = register_module("qkv", std::make_shared<nn::Linear>(C, 3 * C));
        proj = register_module("proj", std::make_shared<nn::Linear>(C, C));
        ln2 = register_module("ln2", std::make_shared<nn::LayerNorm>(std::vector<int64_t>{C}));
        fc1 = register_module("fc1", std::make_shared<nn::Linear>(C, 4 * C));
        fc2 = register_module("fc2", std::make_shared<nn::Linear>(4 * C, C));
    }
    // x: (B, T, C) -> (B, T, C)
    Tensor forward(const Tensor& x) override {
        const int64_t B = x.size(0), T = x.size(1), hd = C / heads;
        std::vector<Tensor> qkv_parts = qkv->forward(ln1->forward(x)).chunk(3, -1);
        auto split = [&](const Tensor& t) {  // (B, T, C) -> (B, heads, T, hd)
            return t.reshape({B, T, heads, hd}).transpose(1, 2);
        };
        const Tensor a = nn::functional::scaled_dot_product_attention(
            split(qkv_parts[0]), split(qkv_parts[1]), split(qkv_parts[2]), Tensor(), 0.0, true);
        const Tensor h = x + proj->forward(a.transpose(1, 2).reshape({B, T, C}));
        return h + fc2->forward(nn::functional::gelu(fc1->forward(ln2->forward(h))));
    }
    int64_t C, heads;
    std::shared_ptr<nn::LayerNorm> ln1, ln2;
    std::shared_ptr<nn::Linear> qkv, proj, fc1, fc2;
};

// W6's model: tokens (B, T) -> logits (B·T, V).
struct TinyGPT : nn::Module {
    TinyGPT(int64_t vocab, int64_t T) : nn::Module("TinyGPT") {
        tok = register_module("tok", std::make_shared<nn::Embedding>(vocab, 128));
        pos = register_module("pos", std::make_shared<nn::Embedding>(T, 128));
        for (int i = 0; i < 4; ++i)
            blocks.push_back(
                register_module("block" + std::to_string(i), std::make_shared<Block>(128, 4)));
        ln = register_module("ln", std::make_shared<nn::LayerNorm>(std::vector<int64_t>{128}));
        head = register_module("head", std::make_shared<nn::Linear>(128, vocab));
    }
    Tensor forward(const Tensor& tokens) override {
        const int64_t T = tokens.size(1);
        Tensor x = tok->forward(tokens) + pos->forward(arange(static_cast<double>(T), kInt64));
        for (const auto& b : blocks) x = b->forward(x);
        return head->forward(ln->forward(x)).reshape({-1, head->weight.size(0)});
    }
    std::shared_ptr<nn::Embedding> tok, pos;
    std::vector<std::shared_ptr<Block>> blocks;
    std::shared_ptr<nn::LayerNorm> ln;
    std::shared_ptr<nn::Linear> head;
};

Tensor batch_tensor(const std::vector<int64_t>& v, int64_t B, int64_t T) {
    return tensor(v, {B, T}, kInt64);
}

// One workload in this process: prints "RESULT key value" lines, as torch_seq.py does.
int child(const std::string& workload, int threads) {
    set_num_threads(threads);
    const bench::Corpus corpus = bench::load_corpus(g_corpus);
    const bool w5 = workload == "W5";
    const int64_t T = 64, B = w5 ? 32 : 12;
    manual_seed(0);
    std::shared_ptr<CharLSTM> lstm;
    std::shared_ptr<TinyGPT> gpt;
    std::unique_ptr<optim::Optimizer> opt;
    if (w5) {
        lstm = std::make_shared<CharLSTM>(corpus.vocab);
        opt = std::make_unique<optim::Adam>(lstm->parameters(), optim::AdamOptions(2e-3));
    } else {
        gpt = std::make_shared<TinyGPT>(corpus.vocab, T);
        opt = std::make_unique<optim::AdamW>(gpt->parameters(),
                                             optim::AdamWOptions(1e-3).weight_decay(0.1));
    }
    nn::Module& model = w5 ? static_cast<nn::Module&>(*lstm) : *gpt;
    const std::vector<Tensor> params = model.parameters();
    std::optional<nn::LSTM::State> state;
    bench::Lcg lcg{0};
    std::vector<int64_t> x, y, starts;
    std::vector<double> window_seconds;
    double last_loss = NAN;
    auto t0 = Clock::now();
    for (int64_t step = 0; step < g_steps; ++step) {
        if (w5) {
            starts = bench::stream_starts(static_cast<int64_t>(corpus.train.size()), B, T, step);
        } else {
            starts.clear();
            for (int64_t b = 0; b < B; ++b)
                starts.push_back(lcg.next(static_cast<int64_t>(corpus.train.size()) - T - 1));
        }
        bench::windows(corpus.train, starts, T, x, y);
        const Tensor xt = batch_tensor(x, B, T), yt = tensor(y, {B * T}, kInt64);
        const Tensor logits = w5 ? lstm->step(xt, state) : gpt->forward(xt);
        const Tensor loss = nn::functional::cross_entropy(logits, yt);
        opt->zero_grad();
        loss.backward();
        optim::clip_grad_norm_(params, w5 ? 5.0 : 1.0);
        opt->step();
        if ((step + 1) % kWindow == 0) {
            last_loss = loss.item<double>();
            const auto t1 = Clock::now();
            if (step + 1 > kWindow)  // the first window warms up
                window_seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
            t0 = t1;
        }
    }
    NoGradGuard no_grad;
    bench::windows(corpus.val, bench::val_starts(T), T, x, y);
    const Tensor xv = batch_tensor(x, 32, T), yv = tensor(y, {32 * T}, kInt64);
    std::optional<nn::LSTM::State> fresh;
    const Tensor val_logits = w5 ? lstm->step(xv, fresh) : gpt->forward(xv);
    const double val_loss = nn::functional::cross_entropy(val_logits, yv).item<double>();
    if (!window_seconds.empty())
        std::printf("RESULT tokens_per_s %.1f\n",
                    static_cast<double>(B * T * kWindow) / median(window_seconds));
    std::printf("RESULT train_loss %.4f\n", last_loss);
    std::printf("RESULT val_loss %.4f\n", val_loss);
    std::printf("RESULT rss_mib %ld\n", peak_rss_mib());
    return 0;
}

// ---- the parent: run each side in a child, print the table --------------------------------------

void usage(const char* argv0) {
    std::printf(
        "usage: %s [--workload W5|W6]... [--threads N]... [--steps N] [--corpus DIR] "
        "[--no-torch]\n"
        "  default: W5 and W6 at 1 and 2 threads, 200 steps, PyTorch too when installed.\n"
        "  --steps: at least 40 (two windows of 20: one warms up, one is timed).\n"
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
            if (workloads.back() != "W5" && workloads.back() != "W6") {
                std::fprintf(stderr, "bench_seq: --workload: expected W5 or W6, got '%s'\n",
                             argv[i]);
                return 2;
            }
        } else if (arg == "--threads" && has_value) {
            const std::optional<int> n = examples::parse_threads("bench_seq", argv[++i]);
            if (!n) return 2;
            thread_counts.push_back(*n);
        } else if (arg == "--steps" && has_value) {
            const std::string v = argv[++i];
            char* end = nullptr;
            const long long n = std::strtoll(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || n < 2 * kWindow || n > 1000000) {
                std::fprintf(stderr,
                             "bench_seq: --steps: '%s' is not an integer in [40, 1000000]\n",
                             v.c_str());
                return 2;
            }
            g_steps = n;
        } else if (arg == "--corpus" && has_value) {
            g_corpus = argv[++i];
        } else if (arg == "--child" && has_value) {
            child_workload = argv[++i];
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
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_seq: %s\n", e.what());
            return 1;
        }
    }
    if (workloads.empty()) workloads = {"W5", "W6"};
    if (with_torch && !torch_available()) {
        std::printf("PyTorch: '%s -c \"import torch\"' failed; skipping it\n", python().c_str());
        with_torch = false;
    }
    std::printf(
        "descent bench_seq: matrix products by %s; OpenBLAS core %s; %lld steps per run\n\n",
        gemm_backend().c_str(), blas_core_name().c_str(), static_cast<long long>(g_steps));
    std::printf(
        "| workload | threads | descent tokens/s | PyTorch tokens/s | descent/PyTorch | "
        "descent val loss | PyTorch val loss | descent RSS MiB | PyTorch RSS MiB |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    std::fflush(stdout);
    for (int threads : thread_counts) {
        for (const std::string& w : workloads) {
            std::ostringstream ours, theirs;
            ours << self_path("bench_seq") << " --child " << w << " --threads " << threads
                 << " --steps " << g_steps << " --corpus '" << g_corpus << "'";
            const auto d = bench::run_child(ours.str(), "child");
            std::map<std::string, std::string> t;
            if (with_torch) {
                theirs << "OMP_NUM_THREADS=" << threads << " " << python() << " "
                       << DESCENT_BENCH_DIR << "/torch_seq.py --workload " << w << " --threads "
                       << threads << " --steps " << g_steps << " --corpus '" << g_corpus << "'";
                t = bench::run_child(theirs.str(), "torch");
            }
            const double ds = number(d, "tokens_per_s"), ts = number(t, "tokens_per_s");
            std::printf("| %s | %d | %.0f | %.0f | %.2f | %.4f | %.4f | %.0f | %.0f |\n", w.c_str(),
                        threads, ds, ts, ds / ts, number(d, "val_loss"), number(t, "val_loss"),
                        number(d, "rss_mib"), number(t, "rss_mib"));
            std::fflush(stdout);
        }
    }
    return 0;
}
