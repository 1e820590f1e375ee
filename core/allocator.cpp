// The storage cache: freed buffers kept in lists by their (rounded) size, up to a cap, behind one
// mutex. Under AddressSanitizer every buffer goes straight back to the system, so a use after free
// is still caught.
#include "descent/core/allocator.hpp"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define DESCENT_NO_BUFFER_CACHE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DESCENT_NO_BUFFER_CACHE 1
#endif
#endif

namespace descent {

namespace {
constexpr size_t alignment = 64;
// Freed buffers past this many bytes go back to the system: a burst of large temporaries does not
// stay held for the rest of the program.
constexpr size_t cache_limit = size_t(1) << 30;

struct Cache {
    std::mutex mutex;
    std::unordered_map<size_t, std::vector<void*>> free;  // by rounded size
    size_t bytes = 0;
};

// Never destroyed: tensors in static objects may be freed after main returns. Reachable through
// this pointer, so leak checkers do not report the kept buffers.
Cache& cache() {
    static Cache* c = new Cache;
    return *c;
}

size_t rounded(size_t bytes) { return (bytes + alignment - 1) / alignment * alignment; }

void* system_allocate(size_t bytes) {
    return std::aligned_alloc(alignment, bytes == 0 ? alignment : bytes);
}
}  // namespace

void* detail::allocate_buffer(size_t bytes) {
    bytes = rounded(bytes);
#ifndef DESCENT_NO_BUFFER_CACHE
    Cache& c = cache();
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        auto it = c.free.find(bytes);
        if (it != c.free.end() && !it->second.empty()) {
            void* p = it->second.back();
            it->second.pop_back();
            c.bytes -= bytes;
            return p;
        }
    }
    if (void* p = system_allocate(bytes)) return p;
    empty_cache();  // buffers of other sizes may be all that stands in the way
#endif
    if (void* p = system_allocate(bytes)) return p;
    throw std::bad_alloc();  // make_tensor() names the shape
}

void detail::free_buffer(void* data, size_t bytes) {
    if (!data) return;
    bytes = rounded(bytes);
#ifndef DESCENT_NO_BUFFER_CACHE
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.bytes + bytes <= cache_limit) {
        c.free[bytes].push_back(data);
        c.bytes += bytes;
        return;
    }
#endif
    std::free(data);
}

void empty_cache() {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    for (auto& [bytes, buffers] : c.free)
        for (void* p : buffers) std::free(p);
    c.free.clear();
    c.bytes = 0;
}

int64_t cached_bytes() {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    return static_cast<int64_t>(c.bytes);
}

}  // namespace descent
