// The storage cache (core/allocator): a freed buffer comes back for the next tensor of its size,
// empty_cache() gives the kept ones back, and the host program's malloc settings stay its own.
#include <malloc.h>

#include <cstdlib>

#include "descent/core/allocator.hpp"
#include "support.hpp"

using namespace descent;

#if defined(__SANITIZE_ADDRESS__)
#define TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_UNDER_ASAN 1
#endif
#endif

TEST_CASE("a freed storage buffer is handed to the next tensor of its size") {
    empty_cache();
    const float* first = nullptr;
    {
        Tensor a = empty({1000, 37});
        first = a.data();
    }
#ifndef TEST_UNDER_ASAN
    CHECK(cached_bytes() >= int64_t(1000 * 37 * sizeof(float)));
    Tensor b = empty({37, 1000});  // the same number of floats
    CHECK(b.data() == first);
    CHECK(cached_bytes() == 0);
#else
    // Under AddressSanitizer nothing is kept, so that a use after free is still reported.
    CHECK(cached_bytes() == 0);
#endif
}

TEST_CASE("empty_cache gives every kept buffer back and leaves buffers in use untouched") {
    Tensor kept = full({256}, 3.0f);
    { Tensor a = zeros({4096}), b = zeros({512}); }
    empty_cache();
    CHECK(cached_bytes() == 0);
    CHECK_VALUES(kept.slice(0, 0, 2), {2}, {3, 3});
    CHECK(reinterpret_cast<uintptr_t>(kept.data()) % 64 == 0);  // aligned for SIMD loads
}

#ifndef TEST_UNDER_ASAN
TEST_CASE("making tensors leaves malloc's settings to the host program") {
    // Before, the first tensor raised M_MMAP_THRESHOLD to 64 MiB for the whole process, so a
    // 40 MiB malloc no longer came from mmap. glibc's default threshold is at most 32 MiB.
    Tensor t = ones({1 << 20});
    const size_t before = mallinfo2().hblks;
    void* p = std::malloc(40 << 20);
    const size_t during = mallinfo2().hblks;
    std::free(p);
    CHECK(during == before + 1);
    CHECK(t.size(0) == 1 << 20);
}
#endif
