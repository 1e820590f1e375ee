// The building blocks of the optimizers' update loops. fmadd(a, b, c) = a·b + c rounded once where
// the CPU has FMA, as PyTorch's vectorised CPU kernels compute add_(x, alpha) and addcmul_: the
// optimizers spell out every multiply-add PyTorch fuses, and no other (optim/*.cpp is compiled with
// -ffp-contract=off, so the compiler fuses none of its own), so their results are PyTorch's bit for
// bit.
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

// The same in double (clip_grad_norm_'s sum of squares).
inline double fmadd(double a, double b, double c) {
#ifdef __FMA__
    return __builtin_fma(a, b, c);
#else
    return a * b + c;
#endif
}

// max(a, b), NaN if either is NaN (torch.maximum).
inline float maximum(float a, float b) { return (a > b || a != a) ? a : b; }
inline double maximum(double a, double b) { return (a > b || a != a) ? a : b; }

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
