// Elementwise kernels that read or write bool masks (comparisons, logical ops, NaN / inf tests,
// where with a bool condition), and fill / broadcast_copy for every element type: plain loops over
// broadcast rows (rows.hpp), no xtensor.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "descent/core/kernels/elementwise.hpp"
#include "descent/core/kernels/rows.hpp"

namespace descent::kernels {

namespace {

// a, b: broadcastable; out: broadcast shape
template <class T>
void compare_impl(Binary op, const T* a, const Shape& as, const T* b, const Shape& bs, bool* out,
                  const Shape& os) {
    auto each = [&](auto f) { detail::zip_rows(a, as, b, bs, out, os, f); };
    switch (op) {
        case Binary::Eq: each([](T x, T y) { return x == y; }); break;
        case Binary::Ne: each([](T x, T y) { return x != y; }); break;
        case Binary::Lt: each([](T x, T y) { return x < y; }); break;
        case Binary::Le: each([](T x, T y) { return x <= y; }); break;
        case Binary::Gt: each([](T x, T y) { return x > y; }); break;
        case Binary::Ge: each([](T x, T y) { return x >= y; }); break;
        default: DESCENT_ASSERT(false, "(compare op ", int(op), ")");
    }
}

// a, b: broadcastable; out: broadcast shape. For bool the bitwise ops are the logical ones.
template <class T>
void bitwise_impl(Logical op, const T* a, const Shape& as, const T* b, const Shape& bs, T* out,
                  const Shape& os) {
    auto each = [&](auto f) { detail::zip_rows(a, as, b, bs, out, os, f); };
    switch (op) {
        case Logical::And: each([](T x, T y) { return T(x & y); }); break;
        case Logical::Or: each([](T x, T y) { return T(x | y); }); break;
        case Logical::Xor: each([](T x, T y) { return T(x ^ y); }); break;
    }
}

// x: (n) -> y: (n)
template <class T>
void classify_impl(Classify op, const T* x, int64_t n, bool* y) {
    switch (op) {
        case Classify::IsNan: std::transform(x, x + n, y, [](T v) { return std::isnan(v); }); break;
        case Classify::IsInf: std::transform(x, x + n, y, [](T v) { return std::isinf(v); }); break;
        case Classify::IsFinite:
            std::transform(x, x + n, y, [](T v) { return std::isfinite(v); });
            break;
    }
}

// cond, a, b: broadcastable; out: broadcast shape; out = cond ? a : b
template <class T>
void where_impl(const bool* pc, const Shape& cs, const T* pa, const Shape& as, const T* pb,
                const Shape& bs, T* po, const Shape& os) {
    detail::for_each_row<3>(os, {&cs, &as, &bs}, [&](const detail::Row<3>& r) {
        const bool* rc = pc + r.offset[0];
        const T* ra = pa + r.offset[1];
        const T* rb = pb + r.offset[2];
        T* ro = po + r.out_offset;
        const int64_t n = r.length, sc = r.vector[0], sa = r.vector[1], sb = r.vector[2];
        // The condition read as bytes (c != 0) and unit strides spelled out: GCC then compiles the
        // common rows (all three vectors; masked_fill's scalar b) to vector blends; read as bool
        // it kept a branch per element, 10x a multiply on a random mask (7.8 -> 0.44 ms per 1M).
        const auto* c = reinterpret_cast<const unsigned char*>(rc);
        if (sc && sa && sb) {
            for (int64_t i = 0; i < n; ++i) ro[i] = c[i] != 0 ? ra[i] : rb[i];
        } else if (sc && sa) {
            const T y = *rb;
            for (int64_t i = 0; i < n; ++i) ro[i] = c[i] != 0 ? ra[i] : y;
        } else if (sc && sb) {
            const T x = *ra;
            for (int64_t i = 0; i < n; ++i) ro[i] = c[i] != 0 ? x : rb[i];
        } else {
            for (int64_t i = 0; i < n; ++i) ro[i] = c[i * sc] != 0 ? ra[i * sa] : rb[i * sb];
        }
    });
}

// in: broadcastable to out. Data movement only: one instance per element size would do.
template <class T>
void broadcast_copy_impl(const T* pi, const Shape& is, T* po, const Shape& os) {
    detail::for_each_row<1>(os, {&is}, [&](const detail::Row<1>& r) {
        if (r.vector[0]) {
            std::memcpy(po + r.out_offset, pi + r.offset[0], sizeof(T) * r.length);
        } else {
            std::fill_n(po + r.out_offset, r.length, pi[r.offset[0]]);
        }
    });
}

}  // namespace

void compare(Binary op, const float* a, const Shape& as, const float* b, const Shape& bs, bool* out,
             const Shape& os) {
    compare_impl(op, a, as, b, bs, out, os);
}
void compare(Binary op, const double* a, const Shape& as, const double* b, const Shape& bs,
             bool* out, const Shape& os) {
    compare_impl(op, a, as, b, bs, out, os);
}
void compare(Binary op, const int64_t* a, const Shape& as, const int64_t* b, const Shape& bs,
             bool* out, const Shape& os) {
    compare_impl(op, a, as, b, bs, out, os);
}
void compare(Binary op, const bool* a, const Shape& as, const bool* b, const Shape& bs, bool* out,
             const Shape& os) {
    compare_impl(op, a, as, b, bs, out, os);
}

void logical(Logical op, const bool* a, const Shape& as, const bool* b, const Shape& bs, bool* out,
             const Shape& os) {
    bitwise_impl(op, a, as, b, bs, out, os);
}
void bitwise(Logical op, const int64_t* a, const Shape& as, const int64_t* b, const Shape& bs,
             int64_t* out, const Shape& os) {
    bitwise_impl(op, a, as, b, bs, out, os);
}
void logical_not(const bool* x, int64_t n, bool* y) {
    std::transform(x, x + n, y, [](bool v) { return !v; });
}

void classify(Classify op, const float* x, int64_t n, bool* y) { classify_impl(op, x, n, y); }
void classify(Classify op, const double* x, int64_t n, bool* y) { classify_impl(op, x, n, y); }

void where(const bool* c, const Shape& cs, const float* a, const Shape& as, const float* b,
           const Shape& bs, float* out, const Shape& os) {
    where_impl(c, cs, a, as, b, bs, out, os);
}
void where(const bool* c, const Shape& cs, const double* a, const Shape& as, const double* b,
           const Shape& bs, double* out, const Shape& os) {
    where_impl(c, cs, a, as, b, bs, out, os);
}
void where(const bool* c, const Shape& cs, const int64_t* a, const Shape& as, const int64_t* b,
           const Shape& bs, int64_t* out, const Shape& os) {
    where_impl(c, cs, a, as, b, bs, out, os);
}
void where(const bool* c, const Shape& cs, const bool* a, const Shape& as, const bool* b,
           const Shape& bs, bool* out, const Shape& os) {
    where_impl(c, cs, a, as, b, bs, out, os);
}

void fill(float* y, int64_t n, float value) { std::fill_n(y, n, value); }
void fill(double* y, int64_t n, double value) { std::fill_n(y, n, value); }
void fill(int64_t* y, int64_t n, int64_t value) { std::fill_n(y, n, value); }
void fill(bool* y, int64_t n, bool value) { std::fill_n(y, n, value); }

void broadcast_copy(const float* x, const Shape& xs, float* y, const Shape& ys) {
    broadcast_copy_impl(x, xs, y, ys);
}
void broadcast_copy(const double* x, const Shape& xs, double* y, const Shape& ys) {
    broadcast_copy_impl(x, xs, y, ys);
}
void broadcast_copy(const int64_t* x, const Shape& xs, int64_t* y, const Shape& ys) {
    broadcast_copy_impl(x, xs, y, ys);
}
void broadcast_copy(const bool* x, const Shape& xs, bool* y, const Shape& ys) {
    broadcast_copy_impl(x, xs, y, ys);
}

}  // namespace descent::kernels
