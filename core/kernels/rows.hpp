// Broadcasting, in one place: an elementwise loop over an output shape is split into contiguous
// rows. Along a row every operand is either a vector (stride 1) or a single value repeated (stride
// 0), so a row is one SIMD expression. Dims are merged wherever all operands allow, so same-shape
// operands and tensor-with-scalar are a single row of numel elements; a bias (M) over (N, M) is N
// rows of M. Private to core/kernels.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/shape.hpp"

namespace descent::kernels::detail {

template <size_t N>
struct Row {
    int64_t length;                 // elements in this row
    int64_t out_offset;             // where the row starts in the (contiguous) output
    std::array<int64_t, N> offset;  // where each operand's part starts in that operand
    std::array<bool, N> vector;     // operand advances along the row (else: one value)
};

// Calls f(Row<N>) for every row of `out` (contiguous, row-major). Each operand shape must broadcast
// to `out`; operands are contiguous row-major too.
template <size_t N, class F>
void for_each_row(const Shape& out, const std::array<const Shape*, N>& in, F&& f) {
    const int64_t nd = out.ndim();
    // Per dim, innermost first after merging: its size and each operand's stride (0 = broadcast).
    struct Dim {
        int64_t size;
        std::array<int64_t, N> stride;
    };
    std::vector<Dim> dims;
    std::array<int64_t, N> running{};  // each operand's contiguous stride at the current dim
    running.fill(1);
    for (int64_t d = nd - 1; d >= 0; --d) {
        Dim cur{out[d], {}};
        for (size_t k = 0; k < N; ++k) {
            const Shape& s = *in[k];
            const int64_t kd = d - (nd - s.ndim());  // operand's own dim index (left-padded)
            const int64_t size = kd >= 0 ? s[kd] : 1;
            DESCENT_ASSERT(size == out[d] || size == 1, "(operand does not broadcast)");
            cur.stride[k] = (size == 1 && out[d] != 1) ? 0 : running[k];
            running[k] *= size;
        }
        if (cur.size == 1) continue;  // contributes nothing to iteration
        bool merge = !dims.empty();
        for (size_t k = 0; k < N && merge; ++k)
            merge = cur.stride[k] == dims.back().stride[k] * dims.back().size;
        if (merge) {
            dims.back().size *= cur.size;
        } else {
            dims.push_back(cur);
        }
    }

    Row<N> row{1, 0, {}, {}};
    row.vector.fill(true);
    if (dims.empty()) {  // one element (0-d or all sizes 1)
        f(row);
        return;
    }
    row.length = dims[0].size;
    for (size_t k = 0; k < N; ++k) {
        DESCENT_ASSERT(dims[0].stride[k] == 0 || dims[0].stride[k] == 1);
        row.vector[k] = dims[0].stride[k] != 0;
    }
    // Odometer over the outer (merged) dims, updating each operand's offset incrementally.
    const size_t outer = dims.size() - 1;
    std::vector<int64_t> index(outer, 0);
    int64_t rows = 1;
    for (size_t i = 1; i < dims.size(); ++i) rows *= dims[i].size;
    for (int64_t r = 0; r < rows; ++r) {
        row.out_offset = r * row.length;
        f(row);
        for (size_t i = 0; i < outer; ++i) {
            const Dim& dim = dims[i + 1];
            if (++index[i] < dim.size) {
                for (size_t k = 0; k < N; ++k) row.offset[k] += dim.stride[k];
                break;
            }
            index[i] = 0;
            for (size_t k = 0; k < N; ++k) row.offset[k] -= dim.stride[k] * (dim.size - 1);
        }
    }
}

// a: as, b: bs -> out: os (their broadcast);  out[i] = f(a[i], b[i]) with plain loops over the
// rows (stride 0 for a single value): for the types and ops that have no SIMD expression.
template <class A, class B, class O, class F>
void zip_rows(const A* pa, const Shape& as, const B* pb, const Shape& bs, O* po, const Shape& os,
              F f) {
    for_each_row<2>(os, {&as, &bs}, [&](const Row<2>& r) {
        const A* ra = pa + r.offset[0];
        const B* rb = pb + r.offset[1];
        O* ro = po + r.out_offset;
        const int64_t sa = r.vector[0], sb = r.vector[1];
        for (int64_t i = 0; i < r.length; ++i) ro[i] = f(ra[i * sa], rb[i * sb]);
    });
}

}  // namespace descent::kernels::detail
