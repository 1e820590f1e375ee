// conv2d's kernels, for float and double: im2col + one gemm per image and group for the forward,
// one gemm with Wᵀ (a transpose flag) + col2im for the input gradient, g·colsᵀ accumulated over the
// images for the weight gradient.
#include "descent/core/kernels/conv.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "descent/core/kernels/blas.hpp"
#include "descent/core/kernels/conv_onednn.hpp"
#include "descent/core/kernels/parallel.hpp"
#include "descent/core/threads.hpp"

namespace descent::kernels {

namespace {

// A per-thread buffer of at least n elements, kept between calls (it grows to the largest layer).
template <class T>
T* workspace(std::vector<T>& buffer, int64_t n) {
    if (static_cast<int64_t>(buffer.size()) < n) buffer.resize(static_cast<size_t>(n));
    return buffer.data();
}
// One plain thread_local per element type, not a thread_local variable template: LeakSanitizer
// does not see GCC's variable-template TLS as a root, so a pool thread's buffer read as a leak.
struct Workspaces {
    std::vector<float> cols_f, partial_f;
    std::vector<double> cols_d, partial_d;
};
thread_local Workspaces workspaces;
template <class T>
std::vector<T>& cols_buffer() {
    if constexpr (std::is_same_v<T, float>)
        return workspaces.cols_f;
    else
        return workspaces.cols_d;
}
template <class T>
std::vector<T>& partial_buffer() {
    if constexpr (std::is_same_v<T, float>)
        return workspaces.partial_f;
    else
        return workspaces.partial_d;
}

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
template <class T>
const T* columns(const T* image, const ConvGeometry& g) {
    if (g.is_pointwise()) return image;
    T* cols = workspace(cols_buffer<T>(), g.col_rows() * g.col_cols());
    im2col(image, g, cols);
    return cols;
}

}  // namespace

template <class T>
void conv2d_impl(const T* x, const T* w, const T* b, const Conv2dDims& d, T* y) {
    const int64_t L = d.geo.oh * d.geo.ow, K = d.group_rows(), Og = d.Og();
    over_images(d.N, image_parts(d.N, gemm_flops(d)), [&](int64_t n0, int64_t n1, int64_t) {
        for (int64_t n = n0; n < n1; ++n) {
            const T* cols = columns(x + n * d.in_size(), d.geo);
            T* yn = y + n * d.out_size();
            if (b)  // each output channel's plane starts as its bias; the product adds onto it
                for (int64_t o = 0; o < d.O; ++o) std::fill_n(yn + o * L, L, b[o]);
            for (int64_t grp = 0; grp < d.G; ++grp)
                // y_n[grp] (Og × L) = W[grp] (Og × K) · cols[grp] (K × L)
                gemm(false, false, Og, L, K, T(1.0), w + grp * Og * K, cols + grp * K * L,
                     b ? T(1.0) : T(0.0), yn + grp * Og * L);
        }
    });
}

template <class T>
void conv2d_input_impl(const T* g, const T* w, const Conv2dDims& d, T* dx) {
    const int64_t L = d.geo.oh * d.geo.ow, K = d.group_rows(), Og = d.Og();
    const bool pointwise = d.geo.is_pointwise();
    over_images(d.N, image_parts(d.N, gemm_flops(d)), [&](int64_t n0, int64_t n1, int64_t) {
        for (int64_t n = n0; n < n1; ++n) {
            T* dxn = dx + n * d.in_size();
            T* cols = pointwise ? dxn : workspace(cols_buffer<T>(), d.geo.col_rows() * L);
            for (int64_t grp = 0; grp < d.G; ++grp)
                // cols[grp] (K × L) = W[grp]ᵀ (K × Og) · g_n[grp] (Og × L)
                gemm(true, false, K, L, Og, T(1.0), w + grp * Og * K,
                     g + n * d.out_size() + grp * Og * L, T(0.0), cols + grp * K * L);
            if (pointwise) continue;
            std::fill_n(dxn, d.in_size(), T(0.0));
            col2im(cols, d.geo, dxn);
        }
    });
}

// Each range of images sums into its own buffer (the first into dw), added up at the end.
template <class T>
void conv2d_weight_impl(const T* x, const T* g, const Conv2dDims& d, T* dw) {
    const int64_t L = d.geo.oh * d.geo.ow, K = d.group_rows(), Og = d.Og();
    const int64_t size = d.O * K;
    const int64_t parts = image_parts(d.N, gemm_flops(d));
    T* partials = parts > 1 ? workspace(partial_buffer<T>(), (parts - 1) * size) : nullptr;
    std::fill_n(dw, size, T(0.0));
    if (partials) std::fill_n(partials, (parts - 1) * size, T(0.0));
    over_images(d.N, parts, [&](int64_t n0, int64_t n1, int64_t part) {
        T* acc = part == 0 ? dw : partials + (part - 1) * size;
        for (int64_t n = n0; n < n1; ++n) {
            const T* cols = columns(x + n * d.in_size(), d.geo);
            for (int64_t grp = 0; grp < d.G; ++grp)
                // dw[grp] (Og × K) += g_n[grp] (Og × L) · cols[grp]ᵀ (L × K)
                gemm(false, true, Og, K, L, T(1.0), g + n * d.out_size() + grp * Og * L,
                     cols + grp * K * L, T(1.0), acc + grp * Og * K);
        }
    });
    for (int64_t p = 0; p + 1 < parts; ++p)
        for (int64_t i = 0; i < size; ++i) dw[i] += partials[p * size + i];
}

// The float kernels run on oneDNN's primitives where they can (conv_onednn.hpp), each range of
// images on one pool thread, as the im2col path splits them. Forward and input gradient go at most
// this many images per call, which bounds the blocked copies a thread keeps (an evaluation batch of
// 1000 would otherwise keep ~100 MB); the weight gradient takes its range whole, since it sums.
constexpr int64_t kOneDnnImages = 64;

void conv2d(const float* x, const float* w, const float* b, const Conv2dDims& d, float* y) {
    if (!onednn::handles(d)) return conv2d_impl(x, w, b, d, y);
    over_images(d.N, image_parts(d.N, gemm_flops(d)), [&](int64_t n0, int64_t n1, int64_t) {
        for (int64_t c = n0; c < n1; c += kOneDnnImages)
            onednn::conv2d(x + c * d.in_size(), w, b, d, std::min(kOneDnnImages, n1 - c),
                           y + c * d.out_size());
    });
}
void conv2d(const double* x, const double* w, const double* b, const Conv2dDims& d, double* y) {
    conv2d_impl(x, w, b, d, y);
}
void conv2d_input(const float* g, const float* w, const Conv2dDims& d, float* dx) {
    if (!onednn::handles(d)) return conv2d_input_impl(g, w, d, dx);
    over_images(d.N, image_parts(d.N, gemm_flops(d)), [&](int64_t n0, int64_t n1, int64_t) {
        for (int64_t c = n0; c < n1; c += kOneDnnImages)
            onednn::conv2d_input(g + c * d.out_size(), w, d, std::min(kOneDnnImages, n1 - c),
                                 dx + c * d.in_size());
    });
}
void conv2d_input(const double* g, const double* w, const Conv2dDims& d, double* dx) {
    conv2d_input_impl(g, w, d, dx);
}
// Each range of images writes its own sum (the first into dw), added up at the end.
void conv2d_weight(const float* x, const float* g, const Conv2dDims& d, float* dw) {
    if (!onednn::handles(d)) return conv2d_weight_impl(x, g, d, dw);
    const int64_t size = d.O * d.group_rows();
    const int64_t parts = image_parts(d.N, gemm_flops(d));
    float* partials = parts > 1 ? workspace(partial_buffer<float>(), (parts - 1) * size) : nullptr;
    over_images(d.N, parts, [&](int64_t n0, int64_t n1, int64_t part) {
        onednn::conv2d_weight(x + n0 * d.in_size(), g + n0 * d.out_size(), d, n1 - n0,
                              part == 0 ? dw : partials + (part - 1) * size);
    });
    for (int64_t p = 0; p + 1 < parts; ++p)
        for (int64_t i = 0; i < size; ++i) dw[i] += partials[p * size + i];
}
void conv2d_weight(const double* x, const double* g, const Conv2dDims& d, double* dw) {
    conv2d_weight_impl(x, g, d, dw);
}

}  // namespace descent::kernels
