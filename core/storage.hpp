// Storage: the bytes behind one or more tensors (views share it, each reading them as its dtype),
// with the version counter that autograd uses to detect a saved tensor modified in place. Buffers
// come from, and go back to, the caching allocator (core/allocator.hpp).
#pragma once

#include <cstdint>

namespace descent {

class Storage {
public:
    // An uninitialised buffer of `nbytes` bytes, aligned for the widest SIMD loads.
    explicit Storage(int64_t nbytes);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    void* data() { return data_; }
    const void* data() const { return data_; }
    int64_t nbytes() const { return nbytes_; }

    // Bumped by every in-place write; autograd compares it with the value it saw when saving.
    uint64_t version() const { return version_; }
    void bump_version() { ++version_; }

private:
    void* data_ = nullptr;  // from the storage cache (core/allocator.hpp)
    int64_t nbytes_ = 0;
    uint64_t version_ = 0;
};

}  // namespace descent
