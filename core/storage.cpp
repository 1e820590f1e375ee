// Storage's buffer, taken from and given back to the caching allocator.
#include "descent/core/storage.hpp"

#include "descent/core/allocator.hpp"

namespace descent {

Storage::Storage(int64_t numel)
    : data_(
          static_cast<float*>(detail::allocate_buffer(static_cast<size_t>(numel) * sizeof(float)))),
      numel_(numel) {}

Storage::~Storage() { detail::free_buffer(data_, static_cast<size_t>(numel_) * sizeof(float)); }

}  // namespace descent
