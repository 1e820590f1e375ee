// Counts heap allocations: the benchmark binary replaces malloc, calloc, realloc and the aligned
// allocators with glibc's own behind a counter, so operator new, xtensor's buffers and OpenBLAS's
// calls are all seen. What a training step allocates is the count across it.
#pragma once

#include <cstdint>

namespace bench {

// Allocations made by this process so far (every thread).
uint64_t allocations();

}  // namespace bench
