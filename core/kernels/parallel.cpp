// descent's thread pool: the workers behind set_num_threads() and parallel_for.
#include "descent/core/kernels/parallel.hpp"

#include <immintrin.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace descent::kernels {

namespace {

class Pool {
public:
    ~Pool() { resize(1); }

    // Read without the lock by any thread (gemm sizing its blocks) while resize() runs on
    // another: hence an atomic copy of the count, not workers_.size().
    int threads() const { return threads_.load(std::memory_order_acquire); }

    void resize(int n) {
        std::lock_guard<std::mutex> busy(busy_);
        if (n == threads()) return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
            ++generation_;
        }
        wake_.notify_all();
        for (std::thread& t : workers_) t.join();
        workers_.clear();
        stop_ = false;
        // The generation is read here, not in the thread: a thread that starts late must still see
        // the next stop or job as new.
        const uint64_t now = generation_.load();
        for (int i = 1; i < n; ++i) workers_.emplace_back([this, now] { work(now); });
        threads_.store(n, std::memory_order_release);
    }

    void run(int64_t chunks, const std::function<void(int64_t)>& fn) {
        std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
        if (!busy.owns_lock() || workers_.empty() || chunks <= 1) {
            for (int64_t c = 0; c < chunks; ++c) fn(c);
            return;
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            fn_ = &fn;
            chunks_ = chunks;
            next_ = 0;
            done_ = 0;
            ++generation_;
        }
        wake_.notify_all();  // a no-op unless a worker sleeps
        take_chunks(fn, chunks);
        // Only chunks a worker has already taken are left: wait for those, then for any worker
        // still between joining and finding no chunk left, so that none outlives `fn`.
        while (done_.load(std::memory_order_acquire) < chunks) _mm_pause();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            fn_ = nullptr;
        }
        while (active_.load(std::memory_order_acquire) > 0) _mm_pause();
    }

private:
    void take_chunks(const std::function<void(int64_t)>& fn, int64_t chunks) {
        for (int64_t c; (c = next_.fetch_add(1)) < chunks;) {
            fn(c);
            done_.fetch_add(1, std::memory_order_release);
        }
    }

    // A worker spins ~100 us for the next job (products come in quick runs), then sleeps.
    void work(uint64_t seen) {
        for (;;) {
            const auto spin_until =
                std::chrono::steady_clock::now() + std::chrono::microseconds(100);
            for (int i = 0; generation_.load() == seen; ++i) {
                _mm_pause();
                if (i % 64 == 0 && std::chrono::steady_clock::now() > spin_until) {
                    std::unique_lock<std::mutex> lock(mutex_);
                    wake_.wait(lock, [&] { return generation_.load() != seen; });
                }
            }
            std::unique_lock<std::mutex> lock(mutex_);
            seen = generation_.load();
            if (stop_) return;
            if (!fn_ || next_.load() >= chunks_) continue;  // the job is over or fully taken
            const std::function<void(int64_t)>& fn = *fn_;
            const int64_t chunks = chunks_;
            active_.fetch_add(1);
            lock.unlock();
            take_chunks(fn, chunks);
            active_.fetch_sub(1, std::memory_order_release);
        }
    }

    std::vector<std::thread> workers_;  // touched only under busy_
    std::atomic<int> threads_{1};       // workers_.size() + 1
    std::mutex busy_;                   // one run() or resize() at a time
    std::mutex mutex_;                  // guards fn_, chunks_ and stop_; workers sleep on it
    std::condition_variable wake_;
    std::atomic<uint64_t> generation_{0};  // bumped per job and on stop
    bool stop_ = false;
    const std::function<void(int64_t)>* fn_ = nullptr;
    int64_t chunks_ = 0;
    std::atomic<int64_t> next_{0}, done_{0};
    std::atomic<int> active_{0};  // workers inside the current job
};

Pool& pool() {
    static Pool p;
    return p;
}

}  // namespace

void parallel_for(int64_t chunks, const std::function<void(int64_t)>& fn) {
    pool().run(chunks, fn);
}

void set_pool_threads(int n) { pool().resize(n); }

int pool_threads() { return pool().threads(); }

}  // namespace descent::kernels
