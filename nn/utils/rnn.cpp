// pack_padded_sequence and its inverses: each builds the row numbers of its result in the source
// (flattened to rows of the trailing shape, plus one padding row when padding) and gathers them
// with one index_select, whose backward (index_add) scatters the gradient back.
#include "descent/nn/utils/rnn.hpp"

#include <algorithm>
#include <numeric>

#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::nn::utils::rnn {

namespace {

// The dims after the first `skip` of `t`.
Shape trailing(const Tensor& t, int64_t skip) {
    const Shape& s = t.shape();
    return Shape(s.begin() + skip, s.end());
}

Shape with_front(std::vector<int64_t> front, const Shape& rest) {
    front.insert(front.end(), rest.begin(), rest.end());
    return Shape(front.begin(), front.end());
}

std::vector<int64_t> indices_or_identity(const Tensor& t, int64_t n) {
    if (t.defined()) return t.to_vector<int64_t>();
    std::vector<int64_t> v(static_cast<size_t>(n));
    std::iota(v.begin(), v.end(), 0);
    return v;
}

// input (T, N, *) (batch_first: (N, T, *)) packed with order[k] = batch entry of the k-th longest
// sequence, of length len_sorted[k] (decreasing).
PackedSequence pack(const Tensor& input, bool batch_first, const std::vector<int64_t>& order,
                    const std::vector<int64_t>& len_sorted, Tensor sorted_indices,
                    Tensor unsorted_indices) {
    const int64_t T = input.size(batch_first ? 1 : 0), N = input.size(batch_first ? 0 : 1);
    const int64_t max_len = len_sorted.empty() ? 0 : len_sorted[0];
    std::vector<int64_t> batch_sizes(static_cast<size_t>(max_len), 0), rows;
    for (int64_t t = 0; t < max_len; ++t)
        for (size_t k = 0; k < order.size() && len_sorted[k] > t; ++k) {
            ++batch_sizes[static_cast<size_t>(t)];
            rows.push_back(batch_first ? order[k] * T + t : t * N + order[k]);
        }
    const Shape rest = trailing(input, 2);
    const Tensor flat = input.reshape(with_front({T * N}, rest));
    return {index_select(flat, 0, rows), tensor(batch_sizes), std::move(sorted_indices),
            std::move(unsorted_indices)};
}

// The lengths (N) of a PackedSequence in sorted order, from its batch_sizes, after checking it.
std::vector<int64_t> sorted_lengths(const PackedSequence& p, const char* op) {
    DESCENT_CHECK(p.data.defined() && p.batch_sizes.defined(), ValueError, op,
                  ": the PackedSequence has no data or batch_sizes");
    DESCENT_CHECK(
        p.batch_sizes.dtype() == kInt64 && p.batch_sizes.dim() == 1 && p.batch_sizes.numel() > 0,
        ValueError, op, ": batch_sizes must be a non-empty 1-D int64 tensor, got ",
        p.batch_sizes.dtype(), " ", p.batch_sizes.shape());
    const std::vector<int64_t> bs = p.batch_sizes.to_vector<int64_t>();
    const int64_t total = std::accumulate(bs.begin(), bs.end(), int64_t{0});
    DESCENT_CHECK(p.data.dim() >= 1 && p.data.size(0) == total, ShapeError, op, ": data ",
                  p.data.shape(), " does not hold the ", total, " rows batch_sizes count");
    std::vector<int64_t> len(static_cast<size_t>(bs[0]), 0);
    for (size_t t = 0; t < bs.size(); ++t) {
        DESCENT_CHECK(bs[t] >= 1 && bs[t] <= bs[0] && (t == 0 || bs[t] <= bs[t - 1]), ValueError,
                      op, ": batch_sizes must be positive and non-increasing, got ",
                      p.batch_sizes.shape(), " with batch_sizes[", t, "] = ", bs[t]);
        for (int64_t k = 0; k < bs[t]; ++k) ++len[static_cast<size_t>(k)];
    }
    for (const Tensor* idx : {&p.sorted_indices, &p.unsorted_indices})
        DESCENT_CHECK(!idx->defined() || (idx->dtype() == kInt64 && idx->numel() == bs[0]),
                      ValueError, op, ": sorted_indices and unsorted_indices must be int64 of ",
                      bs[0], " entries");
    return len;
}

}  // namespace

PackedSequence pack_padded_sequence(const Tensor& input, const Tensor& lengths, bool batch_first,
                                    bool enforce_sorted) {
    const char* op = "pack_padded_sequence()";
    DESCENT_CHECK(input.defined() && lengths.defined(), ValueError, op,
                  ": input and lengths must be defined tensors");
    DESCENT_CHECK(lengths.dtype() == kInt64, TypeError, op, ": lengths must be int64, got ",
                  lengths.dtype());
    DESCENT_CHECK(lengths.dim() == 1, ValueError, op, ": lengths must be 1-D, got shape ",
                  lengths.shape());
    DESCENT_CHECK(input.dim() >= 2, ShapeError, op, ": input must be ",
                  batch_first ? "(N, T, *)" : "(T, N, *)", ", got ", input.shape());
    const int64_t T = input.size(batch_first ? 1 : 0), N = input.size(batch_first ? 0 : 1);
    const std::vector<int64_t> len = lengths.to_vector<int64_t>();
    DESCENT_CHECK(static_cast<int64_t>(len.size()) == N, ValueError, op, ": expected ", N,
                  " lengths (the batch size of input ", input.shape(),
                  batch_first ? ", batch_first" : "", "), got ", len.size());
    for (size_t b = 0; b < len.size(); ++b)
        DESCENT_CHECK(len[b] >= 1 && len[b] <= T, ValueError, op, ": lengths[", b, "] = ", len[b],
                      " is outside [1, ", T, "] (", T, " = the sequence length of input ",
                      input.shape(), ")");
    std::vector<int64_t> order(len.size());
    std::iota(order.begin(), order.end(), 0);
    if (enforce_sorted) {
        for (size_t b = 1; b < len.size(); ++b)
            DESCENT_CHECK(len[b - 1] >= len[b], ValueError, op,
                          ": lengths must be sorted in decreasing order when enforce_sorted is "
                          "true, got lengths[",
                          b - 1, "] = ", len[b - 1], " < lengths[", b, "] = ", len[b],
                          "; pass enforce_sorted = false to have them sorted");
        return pack(input, batch_first, order, len, Tensor(), Tensor());
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return len[a] > len[b]; });
    std::vector<int64_t> inverse(order.size()), len_sorted(order.size());
    for (size_t k = 0; k < order.size(); ++k) {
        inverse[static_cast<size_t>(order[k])] = static_cast<int64_t>(k);
        len_sorted[k] = len[static_cast<size_t>(order[k])];
    }
    return pack(input, batch_first, order, len_sorted, tensor(order), tensor(inverse));
}

PackedSequence pack_padded_sequence(const Tensor& input, const std::vector<int64_t>& lengths,
                                    bool batch_first, bool enforce_sorted) {
    return pack_padded_sequence(input, tensor(lengths), batch_first, enforce_sorted);
}

std::tuple<Tensor, Tensor> pad_packed_sequence(const PackedSequence& p, bool batch_first,
                                               double padding_value, int64_t total_length) {
    const char* op = "pad_packed_sequence()";
    const std::vector<int64_t> len_sorted = sorted_lengths(p, op);
    const int64_t N = static_cast<int64_t>(len_sorted.size()), max_len = len_sorted[0];
    DESCENT_CHECK(total_length <= 0 || total_length >= max_len, ValueError, op,
                  ": total_length = ", total_length,
                  " is shorter than the longest sequence in the batch (", max_len, ")");
    const int64_t T = total_length > 0 ? total_length : max_len;
    const std::vector<int64_t> order = indices_or_identity(p.sorted_indices, N);
    std::vector<int64_t> pos(static_cast<size_t>(N)), len(static_cast<size_t>(N));
    for (int64_t k = 0; k < N; ++k) {
        pos[static_cast<size_t>(order[static_cast<size_t>(k)])] = k;
        len[static_cast<size_t>(order[static_cast<size_t>(k)])] =
            len_sorted[static_cast<size_t>(k)];
    }
    // offset[t]: the first row of step t in data; row P = data.size(0) is the padding row
    const std::vector<int64_t> bs = p.batch_sizes.to_vector<int64_t>();
    std::vector<int64_t> offset(bs.size() + 1, 0);
    for (size_t t = 0; t < bs.size(); ++t) offset[t + 1] = offset[t] + bs[t];
    const int64_t P = p.data.size(0);
    std::vector<int64_t> rows;
    rows.reserve(static_cast<size_t>(T * N));
    auto row = [&](int64_t t, int64_t b) {
        return t < len[static_cast<size_t>(b)]
                   ? offset[static_cast<size_t>(t)] + pos[static_cast<size_t>(b)]
                   : P;
    };
    for (int64_t i = 0; i < (batch_first ? N : T); ++i)
        for (int64_t j = 0; j < (batch_first ? T : N); ++j)
            rows.push_back(batch_first ? row(j, i) : row(i, j));
    const Shape rest = trailing(p.data, 1);
    const Tensor source =
        cat({p.data, full(with_front({1}, rest), padding_value, p.data.dtype())}, 0);
    const Tensor padded =
        index_select(source, 0, rows)
            .reshape(with_front(
                batch_first ? std::vector<int64_t>{N, T} : std::vector<int64_t>{T, N}, rest));
    return {padded, tensor(len)};
}

Tensor pad_sequence(const std::vector<Tensor>& sequences, bool batch_first, double padding_value) {
    const char* op = "pad_sequence()";
    DESCENT_CHECK(!sequences.empty(), ValueError, op, ": received an empty list of sequences");
    const Tensor& first = sequences[0];
    DESCENT_CHECK(first.defined() && first.dim() >= 1, ShapeError, op,
                  ": sequences must be (L, *) tensors, got ",
                  first.defined() ? first.shape() : Shape{});
    const Shape rest = trailing(first, 1);
    const int64_t N = static_cast<int64_t>(sequences.size());
    std::vector<int64_t> start(sequences.size() + 1, 0);
    int64_t T = 0;
    for (size_t i = 0; i < sequences.size(); ++i) {
        const Tensor& s = sequences[i];
        DESCENT_CHECK(s.defined() && s.dim() >= 1 && trailing(s, 1) == rest, ShapeError, op,
                      ": sequences[", i, "] is ", s.defined() ? s.shape() : Shape{},
                      " but sequences[0] is ", first.shape(),
                      ": all must share the dims after the first");
        DESCENT_CHECK(s.dtype() == first.dtype(), TypeError, op, ": sequences[", i, "] is ",
                      s.dtype(), " but sequences[0] is ", first.dtype());
        start[i + 1] = start[i] + s.size(0);
        T = std::max(T, s.size(0));
    }
    const int64_t P = start.back();  // the padding row
    std::vector<int64_t> rows;
    rows.reserve(static_cast<size_t>(T * N));
    auto row = [&](int64_t t, int64_t b) {
        const size_t i = static_cast<size_t>(b);
        return t < start[i + 1] - start[i] ? start[i] + t : P;
    };
    for (int64_t i = 0; i < (batch_first ? N : T); ++i)
        for (int64_t j = 0; j < (batch_first ? T : N); ++j)
            rows.push_back(batch_first ? row(j, i) : row(i, j));
    std::vector<Tensor> parts = sequences;
    parts.push_back(full(with_front({1}, rest), padding_value, first.dtype()));
    return index_select(cat(parts, 0), 0, rows)
        .reshape(with_front(batch_first ? std::vector<int64_t>{N, T} : std::vector<int64_t>{T, N},
                            rest));
}

PackedSequence pack_sequence(const std::vector<Tensor>& sequences, bool enforce_sorted) {
    const Tensor padded = pad_sequence(sequences);
    std::vector<int64_t> lengths;
    for (const Tensor& s : sequences) lengths.push_back(s.size(0));
    return pack_padded_sequence(padded, lengths, false, enforce_sorted);
}

namespace detail {
PackedSequence pack_like(const Tensor& padded, const PackedSequence& layout) {
    const std::vector<int64_t> len_sorted = sorted_lengths(layout, "PackedSequence");
    const std::vector<int64_t> order =
        indices_or_identity(layout.sorted_indices, static_cast<int64_t>(len_sorted.size()));
    return pack(padded, false, order, len_sorted, layout.sorted_indices, layout.unsorted_indices);
}
}  // namespace detail

}  // namespace descent::nn::utils::rnn
