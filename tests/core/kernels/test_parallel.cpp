// kernels::parallel_for: every chunk runs exactly once, whatever the pool size, across repeated
// jobs, and a second thread that finds the pool busy runs its chunks itself.
#include "support.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include "descent/core/kernels/blas.hpp"
#include "descent/core/kernels/parallel.hpp"
#include "descent/core/threads.hpp"

using namespace descent;

namespace {
// Runs `chunks` chunks and returns how often each ran.
std::vector<int> counts(int64_t chunks) {
    std::vector<std::atomic<int>> hits(static_cast<size_t>(chunks));
    kernels::parallel_for(chunks, [&](int64_t c) { hits[static_cast<size_t>(c)].fetch_add(1); });
    std::vector<int> out;
    for (auto& h : hits) out.push_back(h.load());
    return out;
}
}  // namespace

TEST_CASE("parallel_for runs every chunk exactly once at 1, 2 and 3 threads") {
    const int before = kernels::pool_threads();
    for (const int threads : {1, 2, 3}) {
        kernels::set_pool_threads(threads);
        CHECK(kernels::pool_threads() == threads);
        for (int job = 0; job < 200; ++job) {  // back-to-back jobs, as products come
            const int64_t chunks = job % 9;    // 0 and 1 chunk included
            const std::vector<int> hits = counts(chunks);
            CHECK(hits == std::vector<int>(static_cast<size_t>(chunks), 1));
        }
    }
    kernels::set_pool_threads(before);
}

TEST_CASE("parallel_for from two threads at once: both jobs complete") {
    const int before = kernels::pool_threads();
    kernels::set_pool_threads(2);
    std::atomic<int64_t> total{0};
    auto job = [&] {
        for (int i = 0; i < 100; ++i) kernels::parallel_for(8, [&](int64_t c) { total += c + 1; });
    };
    std::thread other(job);
    job();
    other.join();
    CHECK(total.load() == 2 * 100 * 36);  // 1 + 2 + ... + 8 = 36 per job
    kernels::set_pool_threads(before);
}

TEST_CASE("set_num_threads on one thread while another multiplies: no race (run under TSan)") {
    // pool_threads() read workers_.size() without the lock while set_num_threads resized the
    // pool: ThreadSanitizer reported it (scripts/sanitize.sh runs this test under TSan).
    const int before = get_num_threads();
    std::atomic<bool> stop{false};
    std::thread resizer([&] {
        // The pool's own resize: set_num_threads refuses 3 threads on a 2-core machine.
        for (int i = 0; i < 200; ++i) kernels::set_pool_threads(1 + i % 3);
        stop = true;
    });
    // (64, 128) @ (128, 64) of ones: big enough to be split across the pool.
    const std::vector<float> a(64 * 128, 1.0f), b(128 * 64, 1.0f);
    std::vector<float> c(64 * 64);
    int products = 0;
    bool right = true;
    while (!stop.load() || products < 10) {
        const int threads = get_num_threads();
        right = right && threads >= 1 && threads <= 3;
        kernels::gemm(false, false, 64, 64, 128, 1.0f, a.data(), b.data(), 0.0f, c.data());
        right = right && c[0] == 128.0f && c[64 * 64 - 1] == 128.0f;
        ++products;
    }
    resizer.join();
    CHECK(right);
    CHECK(get_num_threads() == 1 + 199 % 3);
    set_num_threads(before);
}
