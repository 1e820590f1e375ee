// Data-movement kernels: permute, copying a range of one dim out of / into a tensor, and strided
// copies and fills. One template each, instantiated for every element type at the end.
#include "descent/core/kernels/copy.hpp"

#include <algorithm>
#include <cstring>

namespace descent::kernels {

namespace {

// x: shape; y: shape permuted
template <class T>
void permute_impl(const T* x, const Shape& shape, const std::vector<int64_t>& perm, T* y) {
    const int64_t nd = shape.ndim();
    const std::vector<int64_t> in_strides = contiguous_strides(shape);
    if (nd == 2 && perm[0] == 1) {
        // Matrix transpose in 32×32 tiles, so both sides stay in cache.
        const int64_t R = shape[0], C = shape[1];
        for (int64_t r0 = 0; r0 < R; r0 += 32)
            for (int64_t c0 = 0; c0 < C; c0 += 32)
                for (int64_t r = r0; r < std::min(R, r0 + 32); ++r)
                    for (int64_t c = c0; c < std::min(C, c0 + 32); ++c) y[c * R + r] = x[r * C + c];
        return;
    }
    // Walk out in row-major order; `src` follows in the input through the permuted strides.
    std::vector<int64_t> index(nd, 0), stride(nd);
    Shape os(nd);
    for (int64_t i = 0; i < nd; ++i) {
        stride[i] = in_strides[perm[i]];
        os[i] = shape[perm[i]];
    }
    const int64_t total = numel(shape);
    int64_t src = 0;
    for (int64_t i = 0; i < total; ++i) {
        y[i] = x[src];
        for (int64_t d = nd - 1; d >= 0; --d) {
            if (++index[d] < os[d]) {
                src += stride[d];
                break;
            }
            index[d] = 0;
            src -= stride[d] * (os[d] - 1);
        }
    }
}

template <class T>
void slice_copy_impl(const T* in, Axis a, int64_t start, int64_t len, T* out) {
    const int64_t block = len * a.inner;  // contiguous elements per outer index
    if (block == 0) return;  // memcpy may not be given a null pointer, even for 0 bytes
    for (int64_t o = 0; o < a.outer; ++o)
        std::memcpy(out + o * block, in + (o * a.n + start) * a.inner, sizeof(T) * block);
}

template <class T>
void slice_assign_impl(const T* src, int64_t len, Axis a, int64_t start, T* out) {
    const int64_t block = len * a.inner;
    if (block == 0) return;
    for (int64_t o = 0; o < a.outer; ++o)
        std::memcpy(out + (o * a.n + start) * a.inner, src + o * block, sizeof(T) * block);
}

// Drops size-1 dims and merges each dim into the next when both layouts walk them as one
// (stride[d] == stride[d+1] * size[d+1] in every layout), so the inner loop runs as long as it can.
struct Walk {
    std::vector<int64_t> size;
    std::vector<std::vector<int64_t>> strides;  // one list per layout
};

Walk coalesce(const Shape& shape, std::initializer_list<const std::vector<int64_t>*> layouts) {
    Walk w;
    w.strides.resize(layouts.size());
    for (size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == 1) continue;
        bool merge = !w.size.empty();
        size_t k = 0;
        for (const auto* s : layouts) {
            merge = merge && w.strides[k].back() == (*s)[d] * shape[d];
            ++k;
        }
        k = 0;
        if (merge) {
            w.size.back() *= shape[d];
            for (const auto* s : layouts) w.strides[k++].back() = (*s)[d];
        } else {
            w.size.push_back(shape[d]);
            for (const auto* s : layouts) w.strides[k++].push_back((*s)[d]);
        }
    }
    if (w.size.empty()) {  // a single element
        w.size.push_back(1);
        for (auto& s : w.strides) s.push_back(1);
    }
    return w;
}

// Calls f(offset per layout..., inner length) for each run of the innermost dim, in row-major
// order.
template <class F>
void for_each_run(const Walk& w, F&& f) {
    const int64_t nd = static_cast<int64_t>(w.size.size());
    const size_t nl = w.strides.size();
    std::vector<int64_t> index(nd, 0), offset(nl, 0);
    int64_t runs = 1;
    for (int64_t d = 0; d + 1 < nd; ++d) runs *= w.size[d];
    for (int64_t r = 0; r < runs; ++r) {
        f(offset.data(), w.size[nd - 1]);
        for (int64_t d = nd - 2; d >= 0; --d) {
            for (size_t l = 0; l < nl; ++l) offset[l] += w.strides[l][d];
            if (++index[d] < w.size[d]) break;
            for (size_t l = 0; l < nl; ++l) offset[l] -= w.strides[l][d] * w.size[d];
            index[d] = 0;
        }
    }
}

template <class T>
void strided_copy_impl(const T* src, const std::vector<int64_t>& src_strides, T* dst,
                       const std::vector<int64_t>& dst_strides, const Shape& shape) {
    if (numel(shape) == 0) return;
    const Walk w = coalesce(shape, {&src_strides, &dst_strides});
    const int64_t ss = w.strides[0].back(), ds = w.strides[1].back();
    for_each_run(w, [&](const int64_t* off, int64_t n) {
        const T* s = src + off[0];
        T* d = dst + off[1];
        if (ss == 1 && ds == 1) {
            std::memcpy(d, s, sizeof(T) * n);
        } else {
            for (int64_t i = 0; i < n; ++i) d[i * ds] = s[i * ss];
        }
    });
}

template <class T>
void strided_add_impl(const T* src, const std::vector<int64_t>& src_strides, T* dst,
                      const std::vector<int64_t>& dst_strides, const Shape& shape) {
    if (numel(shape) == 0) return;
    const Walk w = coalesce(shape, {&src_strides, &dst_strides});
    const int64_t ss = w.strides[0].back(), ds = w.strides[1].back();
    for_each_run(w, [&](const int64_t* off, int64_t n) {
        const T* s = src + off[0];
        T* d = dst + off[1];
        for (int64_t i = 0; i < n; ++i) d[i * ds] += s[i * ss];
    });
}

template <class T>
void strided_fill_impl(T* dst, const std::vector<int64_t>& strides, const Shape& shape, T value) {
    if (numel(shape) == 0) return;
    const Walk w = coalesce(shape, {&strides});
    const int64_t ds = w.strides[0].back();
    for_each_run(w, [&](const int64_t* off, int64_t n) {
        T* d = dst + off[0];
        for (int64_t i = 0; i < n; ++i) d[i * ds] = value;
    });
}

}  // namespace

void permute(const float* in, const Shape& shape, const std::vector<int64_t>& perm, float* out) {
    permute_impl(in, shape, perm, out);
}
void slice_copy(const float* in, Axis a, int64_t start, int64_t len, float* out) {
    slice_copy_impl(in, a, start, len, out);
}
void slice_assign(const float* src, int64_t len, Axis a, int64_t start, float* out) {
    slice_assign_impl(src, len, a, start, out);
}
void strided_copy(const float* src, const std::vector<int64_t>& ss, float* dst,
                  const std::vector<int64_t>& ds, const Shape& shape) {
    strided_copy_impl(src, ss, dst, ds, shape);
}
void strided_add(const float* src, const std::vector<int64_t>& ss, float* dst,
                 const std::vector<int64_t>& ds, const Shape& shape) {
    strided_add_impl(src, ss, dst, ds, shape);
}
void strided_fill(float* dst, const std::vector<int64_t>& strides, const Shape& shape,
                  float value) {
    strided_fill_impl(dst, strides, shape, value);
}

void permute(const double* in, const Shape& shape, const std::vector<int64_t>& perm, double* out) {
    permute_impl(in, shape, perm, out);
}
void slice_copy(const double* in, Axis a, int64_t start, int64_t len, double* out) {
    slice_copy_impl(in, a, start, len, out);
}
void slice_assign(const double* src, int64_t len, Axis a, int64_t start, double* out) {
    slice_assign_impl(src, len, a, start, out);
}
void strided_copy(const double* src, const std::vector<int64_t>& ss, double* dst,
                  const std::vector<int64_t>& ds, const Shape& shape) {
    strided_copy_impl(src, ss, dst, ds, shape);
}
void strided_add(const double* src, const std::vector<int64_t>& ss, double* dst,
                 const std::vector<int64_t>& ds, const Shape& shape) {
    strided_add_impl(src, ss, dst, ds, shape);
}
void strided_fill(double* dst, const std::vector<int64_t>& strides, const Shape& shape,
                  double value) {
    strided_fill_impl(dst, strides, shape, value);
}

void permute(const int64_t* in, const Shape& shape, const std::vector<int64_t>& perm,
             int64_t* out) {
    permute_impl(in, shape, perm, out);
}
void slice_copy(const int64_t* in, Axis a, int64_t start, int64_t len, int64_t* out) {
    slice_copy_impl(in, a, start, len, out);
}
void slice_assign(const int64_t* src, int64_t len, Axis a, int64_t start, int64_t* out) {
    slice_assign_impl(src, len, a, start, out);
}
void strided_copy(const int64_t* src, const std::vector<int64_t>& ss, int64_t* dst,
                  const std::vector<int64_t>& ds, const Shape& shape) {
    strided_copy_impl(src, ss, dst, ds, shape);
}
void strided_add(const int64_t* src, const std::vector<int64_t>& ss, int64_t* dst,
                 const std::vector<int64_t>& ds, const Shape& shape) {
    strided_add_impl(src, ss, dst, ds, shape);
}
void strided_fill(int64_t* dst, const std::vector<int64_t>& strides, const Shape& shape,
                  int64_t value) {
    strided_fill_impl(dst, strides, shape, value);
}

void permute(const bool* in, const Shape& shape, const std::vector<int64_t>& perm, bool* out) {
    permute_impl(in, shape, perm, out);
}
void slice_copy(const bool* in, Axis a, int64_t start, int64_t len, bool* out) {
    slice_copy_impl(in, a, start, len, out);
}
void slice_assign(const bool* src, int64_t len, Axis a, int64_t start, bool* out) {
    slice_assign_impl(src, len, a, start, out);
}
void strided_copy(const bool* src, const std::vector<int64_t>& ss, bool* dst,
                  const std::vector<int64_t>& ds, const Shape& shape) {
    strided_copy_impl(src, ss, dst, ds, shape);
}
void strided_fill(bool* dst, const std::vector<int64_t>& strides, const Shape& shape, bool value) {
    strided_fill_impl(dst, strides, shape, value);
}

// src, dst: (shape) in their layouts and dtypes
void convert(ScalarType from, const void* src, const std::vector<int64_t>& src_strides,
             ScalarType to, void* dst, const std::vector<int64_t>& dst_strides,
             const Shape& shape) {
    if (numel(shape) == 0) return;
    const Walk w = coalesce(shape, {&src_strides, &dst_strides});
    const int64_t ss = w.strides[0].back(), ds = w.strides[1].back();
    visit_dtype(from, [&](auto s_tag) {
        visit_dtype(to, [&](auto d_tag) {
            using S = decltype(s_tag);
            using D = decltype(d_tag);
            for_each_run(w, [&](const int64_t* off, int64_t n) {
                const S* s = static_cast<const S*>(src) + off[0];
                D* d = static_cast<D*>(dst) + off[1];
                for (int64_t i = 0; i < n; ++i) d[i * ds] = static_cast<D>(s[i * ss]);
            });
        });
    });
}

}  // namespace descent::kernels
