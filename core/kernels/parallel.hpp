// descent's thread pool: the one set of threads behind set_num_threads(). OpenBLAS runs on one
// thread and descent splits large products into chunks itself (kernels/blas.cpp), because
// OpenBLAS's own workers spin for ~0.1 s after each call and wait on each other inside a product:
// with the other core busy, a 2-thread product ran up to 18x slower than on one thread. Here a
// chunk left to a descheduled worker costs at most that chunk, and idle workers sleep after ~100
// us.
#pragma once

#include <cstdint>
#include <functional>

namespace descent::kernels {

// Runs fn(0), ..., fn(chunks - 1), each exactly once, on the calling thread and the pool's idle
// workers; returns when all are done. Runs them all on the caller when the pool has no workers or
// is in use by another thread.
void parallel_for(int64_t chunks, const std::function<void(int64_t)>& fn);

// Threads parallel_for uses, the caller included (>= 1). Changing it starts or stops workers.
void set_pool_threads(int n);
int pool_threads();

}  // namespace descent::kernels
