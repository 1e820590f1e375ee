// Scratch float buffers that outlive one call but not a training step (a convolution's column
// matrices, kept from forward for the weight gradient): taken from a free list and returned to it
// when the last holder lets go, so a steady-state step reuses last step's memory.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace descent::detail {

// A buffer of at least n floats (contents unspecified). Thread-safe.
std::shared_ptr<std::vector<float>> take_buffer(int64_t n);

}  // namespace descent::detail
