// The building blocks of the optimizers' fused update loops. fmadd(a, b, c) = a·b + c rounded
// once where the CPU has FMA, as PyTorch's vectorised CPU kernels compute add_(x, alpha) and
// addcmul_: the optimizers spell out every multiply-add PyTorch fuses, and no other, so their
// results are PyTorch's bit for bit rather than at the mercy of the compiler's contraction.
//
// Include this header after the line `#pragma GCC optimize("fp-contract=off")` that follows a
// source's other includes: these helpers must be compiled with the same options as the loops that
// call them, or GCC will not inline them (and the loops will not vectorise).
#pragma once

#include <type_traits>

namespace descent::optim::detail {

inline float fmadd(float a, float b, float c) {
#ifdef __FMA__
    return __builtin_fmaf(a, b, c);
#else
    return a * b + c;
#endif
}

// √x. A loop calling it vectorises only without errno (GCC cannot turn errno off by pragma), so
// the sources that use it are compiled with -fno-math-errno (cmake/DescentLibrary.cmake).
inline float sqrt(float x) { return __builtin_sqrtf(x); }

// max(a, b), NaN if either is NaN (torch.maximum).
inline float maximum(float a, float b) { return (a > b || a != a) ? a : b; }

// Calls f with one std::bool_constant per runtime switch: each combination of switches gets its
// own branch-free instance of the loop in f, which vectorises where a loop testing the switches
// per element does not.
template <class F>
void with_switches(F&& f) {
    f();
}
template <class F, class... Rest>
void with_switches(F&& f, bool first, Rest... rest) {
    if (first)
        with_switches([&](auto... s) { f(std::true_type{}, s...); }, rest...);
    else
        with_switches([&](auto... s) { f(std::false_type{}, s...); }, rest...);
}

}  // namespace descent::optim::detail
