// Indexing kernels: index_select / gather and their scatter-add adjoints.
#include "descent/core/kernels/index.hpp"

#include <cstring>

namespace descent::kernels {

void index_select(const float* x, Axis a, const int64_t* index, int64_t m, float* y) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t j = 0; j < m; ++j)
            std::memcpy(y + (o * m + j) * a.inner, x + (o * a.n + index[j]) * a.inner,
                        sizeof(float) * a.inner);
}

void index_add(const float* s, Axis a, const int64_t* index, int64_t m, float* y) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t j = 0; j < m; ++j) {
            const float* from = s + (o * m + j) * a.inner;
            float* to = y + (o * a.n + index[j]) * a.inner;
            for (int64_t k = 0; k < a.inner; ++k) to[k] += from[k];
        }
}

void gather(const float* x, Axis a, const int64_t* index, float* y) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t k = 0; k < a.inner; ++k)
            y[o * a.inner + k] = x[(o * a.n + index[o * a.inner + k]) * a.inner + k];
}

void scatter_add(const float* s, Axis a, const int64_t* index, float* y) {
    for (int64_t o = 0; o < a.outer; ++o)
        for (int64_t k = 0; k < a.inner; ++k)
            y[(o * a.n + index[o * a.inner + k]) * a.inner + k] += s[o * a.inner + k];
}

}  // namespace descent::kernels
