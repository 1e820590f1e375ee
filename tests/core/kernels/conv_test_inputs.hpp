// What the conv2d kernel tests share: a Conv2dDims from the usual arguments (the output size
// derived as conv2d derives it) and seeded uniform float buffers.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "descent/core/kernels/conv.hpp"

namespace test {

inline descent::kernels::Conv2dDims dims(int64_t N, int64_t C, int64_t H, int64_t W, int64_t O,
                                         int64_t G, int64_t kh, int64_t kw, int64_t s, int64_t p,
                                         int64_t d) {
    descent::kernels::Conv2dDims a;
    a.N = N, a.O = O, a.G = G;
    auto& g = a.geo;
    g.C = C, g.H = H, g.W = W, g.kh = kh, g.kw = kw, g.sh = s, g.sw = s, g.ph = p, g.pw = p;
    g.dh = d, g.dw = d;
    g.oh = (H + 2 * p - d * (kh - 1) - 1) / s + 1;
    g.ow = (W + 2 * p - d * (kw - 1) - 1) / s + 1;
    return a;
}

inline std::vector<float> randoms(int64_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = u(gen);
    return v;
}

}  // namespace test
