// The caching allocator behind tensor storage. Training frees and asks again for the same few
// buffer sizes every step; a freed buffer is kept, by its size, and handed to the next request of
// that size, so a steady-state step takes no memory from the system and no page faults, without
// changing the host program's malloc settings. empty_cache() gives the kept buffers back.
#pragma once

#include <cstddef>
#include <cstdint>

namespace descent {

// Frees every buffer kept for reuse (those still in use by tensors are not touched).
void empty_cache();
// Bytes held in freed buffers kept for reuse.
int64_t cached_bytes();

namespace detail {
// `bytes` of uninitialised memory aligned to 64 bytes (the widest SIMD load); std::bad_alloc when
// the system has none even after the cache is emptied (make_tensor() turns it into a MemoryError
// naming the shape).
void* allocate_buffer(size_t bytes);
// Returns a buffer from allocate_buffer(bytes) (the same `bytes`) for reuse.
void free_buffer(void* data, size_t bytes);
}  // namespace detail

}  // namespace descent
