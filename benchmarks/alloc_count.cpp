// The counting allocator behind bench::allocations(): each entry point forwards to glibc's
// __libc_* implementation (exported for exactly this use) after one relaxed atomic increment.
#include "alloc_count.hpp"

#include <atomic>
#include <cerrno>
#include <cstddef>

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
}

namespace {
std::atomic<uint64_t> g_count{0};
void count() { g_count.fetch_add(1, std::memory_order_relaxed); }
}  // namespace

namespace bench {
uint64_t allocations() { return g_count.load(std::memory_order_relaxed); }
}  // namespace bench

extern "C" {
void* malloc(size_t n) {
    count();
    return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
    count();
    return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
    count();
    return __libc_realloc(p, n);
}
void* memalign(size_t align, size_t n) {
    count();
    return __libc_memalign(align, n);
}
void* aligned_alloc(size_t align, size_t n) {
    count();
    return __libc_memalign(align, n);
}
int posix_memalign(void** out, size_t align, size_t n) {
    count();
    void* p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
}
