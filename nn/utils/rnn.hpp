// torch.nn.utils.rnn: PackedSequence, a batch of variable-length sequences packed time step by time
// step, and pack_padded_sequence / pad_packed_sequence / pack_sequence / pad_sequence, with
// PyTorch's fields, layout, values and errors. Packing and padding are one index_select each, so
// differentiable to any order.
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::nn::utils::rnn {

// data (Σ lengths, *): step 0 of every sequence, then step 1 of those at least 2 long, ..., each
// step's sequences in decreasing order of length; batch_sizes int64 (max length): how many
// sequences are still running at each step; sorted_indices int64 (N): the batch entry of the
// k-th longest sequence, unsorted_indices its inverse (both undefined = identity, as PyTorch's
// None when packed with enforce_sorted).
struct PackedSequence {
    Tensor data, batch_sizes, sorted_indices, unsorted_indices;
};

// input (T, N, *) ((N, T, *) with batch_first), lengths int64 (N) (or a vector). With
// enforce_sorted the lengths must be decreasing (sorted_indices stay undefined); without it they
// are sorted here (ties keep their batch order). ValueError for a length < 1, a length > T, a
// lengths count other than N, unsorted lengths with enforce_sorted; TypeError for non-int64
// lengths; ShapeError for an input of rank < 2.
PackedSequence pack_padded_sequence(const Tensor& input, const Tensor& lengths,
                                    bool batch_first = false, bool enforce_sorted = true);
PackedSequence pack_padded_sequence(const Tensor& input, const std::vector<int64_t>& lengths,
                                    bool batch_first = false, bool enforce_sorted = true);

// The inverse: (padded (T, N, *) ((N, T, *) with batch_first), lengths int64 (N)) in the batch's
// original order, padding_value past each sequence's end; T = total_length when > 0, else the
// longest length (ValueError when 0 < total_length < the longest length).
std::tuple<Tensor, Tensor> pad_packed_sequence(const PackedSequence& sequence,
                                               bool batch_first = false, double padding_value = 0.0,
                                               int64_t total_length = 0);

// sequences (L_i, *) of one trailing shape and dtype -> (max L_i, N, *) ((N, max L_i, *) with
// batch_first), padding_value past each one's end. ValueError for an empty list, ShapeError /
// TypeError for mismatched trailing shapes / dtypes.
Tensor pad_sequence(const std::vector<Tensor>& sequences, bool batch_first = false,
                    double padding_value = 0.0);

// pack_padded_sequence(pad_sequence(sequences), their lengths, false, enforce_sorted).
PackedSequence pack_sequence(const std::vector<Tensor>& sequences, bool enforce_sorted = true);

namespace detail {
// `padded` (T, N, *) packed with a given layout (the batch_sizes and indices of another
// PackedSequence whose lengths it shares): how the RNN modules return a PackedSequence.
PackedSequence pack_like(const Tensor& padded, const PackedSequence& layout);
}  // namespace detail

}  // namespace descent::nn::utils::rnn
