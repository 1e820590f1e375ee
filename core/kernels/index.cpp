// Indexing kernels: index_select / gather and their scatter-add adjoints, one template each for
// every element type (the adds: float, double, int64_t).
#include "descent/core/kernels/index.hpp"

#include <cstring>

namespace descent::kernels {

namespace {

template <class T>
void index_select_impl(const T* x, Axis a, const int64_t* index, int64_t m, T* y) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t j = 0; j < m; ++j)
            std::memcpy(y + (o * m + j) * a.inner, x + (o * a.n + index[j]) * a.inner,
                        sizeof(T) * a.inner);
}

template <class T>
void index_add_impl(const T* s, Axis a, const int64_t* index, int64_t m, T* y) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t j = 0; j < m; ++j) {
            const T* from = s + (o * m + j) * a.inner;
            T* to = y + (o * a.n + index[j]) * a.inner;
            for (int64_t k = 0; k < a.inner; ++k) to[k] += from[k];
        }
}

template <class T>
void gather_impl(const T* x, Axis a, const int64_t* index, T* y) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t k = 0; k < a.inner; ++k)
            y[o * a.inner + k] = x[(o * a.n + index[o * a.inner + k]) * a.inner + k];
}

template <class T>
void scatter_add_impl(const T* s, Axis a, const int64_t* index, T* y) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t k = 0; k < a.inner; ++k)
            y[(o * a.n + index[o * a.inner + k]) * a.inner + k] += s[o * a.inner + k];
}

}  // namespace

void index_select(const float* in, Axis a, const int64_t* index, int64_t m, float* out) {
    index_select_impl(in, a, index, m, out);
}
void gather(const float* in, Axis a, const int64_t* index, float* out) {
    gather_impl(in, a, index, out);
}
void index_add(const float* src, Axis a, const int64_t* index, int64_t m, float* out) {
    index_add_impl(src, a, index, m, out);
}
void scatter_add(const float* src, Axis a, const int64_t* index, float* out) {
    scatter_add_impl(src, a, index, out);
}

void index_select(const double* in, Axis a, const int64_t* index, int64_t m, double* out) {
    index_select_impl(in, a, index, m, out);
}
void gather(const double* in, Axis a, const int64_t* index, double* out) {
    gather_impl(in, a, index, out);
}
void index_add(const double* src, Axis a, const int64_t* index, int64_t m, double* out) {
    index_add_impl(src, a, index, m, out);
}
void scatter_add(const double* src, Axis a, const int64_t* index, double* out) {
    scatter_add_impl(src, a, index, out);
}

void index_select(const int64_t* in, Axis a, const int64_t* index, int64_t m, int64_t* out) {
    index_select_impl(in, a, index, m, out);
}
void gather(const int64_t* in, Axis a, const int64_t* index, int64_t* out) {
    gather_impl(in, a, index, out);
}
void index_add(const int64_t* src, Axis a, const int64_t* index, int64_t m, int64_t* out) {
    index_add_impl(src, a, index, m, out);
}
void scatter_add(const int64_t* src, Axis a, const int64_t* index, int64_t* out) {
    scatter_add_impl(src, a, index, out);
}

void index_select(const bool* in, Axis a, const int64_t* index, int64_t m, bool* out) {
    index_select_impl(in, a, index, m, out);
}
void gather(const bool* in, Axis a, const int64_t* index, bool* out) {
    gather_impl(in, a, index, out);
}

}  // namespace descent::kernels
