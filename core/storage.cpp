// Storage's allocation (with glibc malloc tuned once so large buffers are reused, not re-mapped).
#include "descent/core/storage.hpp"

#include <malloc.h>

#include <mutex>
#include <xtensor/xtensor.hpp>

namespace descent {

struct Storage::Buffer {
    xt::xtensor<float, 1> values;  // xsimd-aligned; from_shape leaves floats uninitialised
};

namespace {
// Training allocates and frees the same few 0.1-4 MiB buffers every step. With glibc's defaults
// each is mmap'ed and unmapped again (hundreds of page faults per step, 3-10x slower ops); raising
// the thresholds keeps them on the heap for reuse. Done once, before descent's first allocation.
void tune_malloc_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    });
}
}  // namespace

Storage::Storage(int64_t numel) : numel_(numel) {
    tune_malloc_once();
    buffer_ = std::make_unique<Buffer>();
    buffer_->values = xt::xtensor<float, 1>::from_shape({static_cast<size_t>(numel)});
    data_ = buffer_->values.data();
}

Storage::~Storage() = default;

}  // namespace descent
