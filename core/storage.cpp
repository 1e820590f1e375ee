// Storage's buffer, taken from and given back to the caching allocator.
#include "descent/core/storage.hpp"

#include "descent/core/allocator.hpp"

namespace descent {

Storage::Storage(int64_t nbytes)
    : data_(detail::allocate_buffer(static_cast<size_t>(nbytes))), nbytes_(nbytes) {}

Storage::~Storage() { detail::free_buffer(data_, static_cast<size_t>(nbytes_)); }

}  // namespace descent
