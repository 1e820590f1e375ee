// Storage: the float buffer behind one or more tensors (views share it), with the version counter
// that autograd uses to detect a saved tensor modified in place. Buffers come from, and go back to,
// the caching allocator (core/allocator.hpp).
#pragma once

#include <cstdint>

namespace descent {

class Storage {
public:
    // An uninitialised buffer of `numel` floats, aligned for the widest SIMD loads.
    explicit Storage(int64_t numel);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    float* data() { return data_; }
    const float* data() const { return data_; }
    int64_t numel() const { return numel_; }

    // Bumped by every in-place write; autograd compares it with the value it saw when saving.
    uint64_t version() const { return version_; }
    void bump_version() { ++version_; }

private:
    float* data_ = nullptr;  // from the storage cache (core/allocator.hpp)
    int64_t numel_ = 0;
    uint64_t version_ = 0;
};

}  // namespace descent
