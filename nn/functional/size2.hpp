// Size2: a (height, width) argument of the 2-D layers, given as one int for both or as a pair,
// as PyTorch's `kernel_size=3` or `kernel_size=(3, 5)`.
#pragma once

#include <cstdint>

namespace descent::nn::functional {

struct Size2 {
    int64_t h = 0, w = 0;
    Size2(int64_t both) : h(both), w(both) {}  // NOLINT: implicit, as `stride = 2`
    Size2(int64_t h_, int64_t w_) : h(h_), w(w_) {}
};

}  // namespace descent::nn::functional
