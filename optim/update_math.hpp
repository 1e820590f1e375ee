// fmadd(a, b, c) = a·b + c rounded once where the CPU has FMA, as PyTorch's vectorised CPU kernels
// compute add_(x, alpha) and addcmul_. The optimizers spell out every fused multiply-add PyTorch
// does (and no other), so their float results are PyTorch's bit for bit rather than at the mercy
// of the compiler's contraction choices.
#pragma once

#include <cmath>

namespace descent::optim::detail {

inline float fmadd(float a, float b, float c) {
#ifdef __FMA__
    return std::fma(a, b, c);
#else
    return a * b + c;
#endif
}

}  // namespace descent::optim::detail
