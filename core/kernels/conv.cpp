// conv2d's kernels: im2col + one sgemm per image and group for the forward, one sgemm with Wᵀ (a
// transpose flag) + col2im for the input gradient, g·colsᵀ accumulated over the images for the
// weight gradient.
#include "descent/core/kernels/conv.hpp"

#include <algorithm>
#include <vector>

#include "descent/core/kernels/blas.hpp"
#include "descent/core/kernels/parallel.hpp"
#include "descent/core/threads.hpp"

namespace descent::kernels {

namespace {

// A per-thread buffer of at least n floats, kept between calls (it grows to the largest layer).
float* workspace(std::vector<float>& buffer, int64_t n) {
    if (static_cast<int64_t>(buffer.size()) < n) buffer.resize(static_cast<size_t>(n));
    return buffer.data();
}
thread_local std::vector<float> cols_buffer, partial_buffer;

// How many ranges the N images are split into: one when there is one image or too little work
// (OpenBLAS's threshold for splitting a product), else a few per pool thread, taken in turn by
// whichever thread is free, so a descheduled thread holds up one small range, not half the batch.
int64_t image_parts(int64_t N, int64_t flops_per_image) {
    const int threads = get_num_threads();
    if (threads < 2 || N < 2 || N * flops_per_image < (int64_t{1} << 18)) return 1;
    return std::min<int64_t>(N, 4 * threads);
}

// Runs fn(n0, n1, part) for each of `parts` ranges of the N images, on the pool's threads.
template <class F>
void over_images(int64_t N, int64_t parts, F&& fn) {
    if (parts <= 1) return fn(0, N, 0);
    parallel_for(parts, [&](int64_t i) { fn(N * i / parts, N * (i + 1) / parts, i); });
}

int64_t gemm_flops(const Conv2dDims& d) { return d.O * d.group_rows() * d.geo.oh * d.geo.ow; }

// The image's column matrix: the image itself for a pointwise convolution, else im2col into the
// thread's workspace.
const float* columns(const float* image, const ConvGeometry& g) {
    if (g.is_pointwise()) return image;
    float* cols = workspace(cols_buffer, g.col_rows() * g.col_cols());
    im2col(image, g, cols);
    return cols;
}

}  // namespace

void conv2d(const float* x, const float* w, const float* b, const Conv2dDims& d, float* y) {
    const int64_t L = d.geo.oh * d.geo.ow, K = d.group_rows(), Og = d.Og();
    over_images(d.N, image_parts(d.N, gemm_flops(d)), [&](int64_t n0, int64_t n1, int64_t) {
        for (int64_t n = n0; n < n1; ++n) {
            const float* cols = columns(x + n * d.in_size(), d.geo);
            float* yn = y + n * d.out_size();
            if (b)  // each output channel's plane starts as its bias; the product adds onto it
                for (int64_t o = 0; o < d.O; ++o) std::fill_n(yn + o * L, L, b[o]);
            for (int64_t grp = 0; grp < d.G; ++grp)
                // y_n[grp] (Og × L) = W[grp] (Og × K) · cols[grp] (K × L)
                gemm(false, false, Og, L, K, 1.0f, w + grp * Og * K, cols + grp * K * L,
                     b ? 1.0f : 0.0f, yn + grp * Og * L);
        }
    });
}

void conv2d_input(const float* g, const float* w, const Conv2dDims& d, float* dx) {
    const int64_t L = d.geo.oh * d.geo.ow, K = d.group_rows(), Og = d.Og();
    const bool pointwise = d.geo.is_pointwise();
    over_images(d.N, image_parts(d.N, gemm_flops(d)), [&](int64_t n0, int64_t n1, int64_t) {
        for (int64_t n = n0; n < n1; ++n) {
            float* dxn = dx + n * d.in_size();
            float* cols = pointwise ? dxn : workspace(cols_buffer, d.geo.col_rows() * L);
            for (int64_t grp = 0; grp < d.G; ++grp)
                // cols[grp] (K × L) = W[grp]ᵀ (K × Og) · g_n[grp] (Og × L)
                gemm(true, false, K, L, Og, 1.0f, w + grp * Og * K,
                     g + n * d.out_size() + grp * Og * L, 0.0f, cols + grp * K * L);
            if (pointwise) continue;
            std::fill_n(dxn, d.in_size(), 0.0f);
            col2im(cols, d.geo, dxn);
        }
    });
}

// Each range of images sums into its own buffer (the first into dw), added up at the end.
void conv2d_weight(const float* x, const float* g, const Conv2dDims& d, float* dw) {
    const int64_t L = d.geo.oh * d.geo.ow, K = d.group_rows(), Og = d.Og();
    const int64_t size = d.O * K;
    const int64_t parts = image_parts(d.N, gemm_flops(d));
    float* partials = parts > 1 ? workspace(partial_buffer, (parts - 1) * size) : nullptr;
    std::fill_n(dw, size, 0.0f);
    if (partials) std::fill_n(partials, (parts - 1) * size, 0.0f);
    over_images(d.N, parts, [&](int64_t n0, int64_t n1, int64_t part) {
        float* acc = part == 0 ? dw : partials + (part - 1) * size;
        for (int64_t n = n0; n < n1; ++n) {
            const float* cols = columns(x + n * d.in_size(), d.geo);
            for (int64_t grp = 0; grp < d.G; ++grp)
                // dw[grp] (Og × K) += g_n[grp] (Og × L) · cols[grp]ᵀ (L × K)
                gemm(false, true, Og, K, L, 1.0f, g + n * d.out_size() + grp * Og * L,
                     cols + grp * K * L, 1.0f, acc + grp * Og * K);
        }
    });
    for (int64_t p = 0; p + 1 < parts; ++p)
        for (int64_t i = 0; i < size; ++i) dw[i] += partials[p * size + i];
}

}  // namespace descent::kernels
