// Dataset: anything that can hand out a batch of samples by index, and the Batch it hands out. The
// DataLoader asks a dataset for one batch at a time, so a dataset can keep its samples in whatever
// form is cheapest (MNIST keeps bytes) and convert only the rows asked for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::data {

struct Batch {
    Tensor data;    // [B, ...] inputs
    Tensor target;  // [B, ...] regression targets; undefined for a labelled dataset
    Tensor labels;  // [B] int64 class labels, as torch's DataLoader gives; undefined for targets
    int64_t size() const { return data.defined() ? data.size(0) : 0; }

    // `auto& [x, y] = batch` binds data and labels, the pair a classification loop wants. A
    // batch of a regression dataset (tensor targets, no labels) refuses it at once, naming
    // batch.target, rather than a loss failing later on 0 labels.
    template <size_t I>
    auto& get() {
        if constexpr (I == 0) {
            return data;
        } else {
            check_labelled();
            return labels;
        }
    }
    template <size_t I>
    const auto& get() const {
        if constexpr (I == 0) {
            return data;
        } else {
            check_labelled();
            return labels;
        }
    }
    // StateError when the batch has tensor targets and no class labels.
    void check_labelled() const;
};

class Dataset {
public:
    virtual ~Dataset();
    virtual int64_t size() const = 0;
    // The samples at `indices`, in that order, stacked along a new first dim. IndexError for an
    // index outside [0, size()).
    virtual Batch get_batch(const std::vector<int64_t>& indices) const = 0;
    // One sample as a batch of one.
    Batch get(int64_t index) const { return get_batch({index}); }
};

namespace detail {
// Throws IndexError naming `op`, the index and the size if any index is outside [0, size).
void check_indices(const std::vector<int64_t>& indices, int64_t size, const char* op);
}  // namespace detail

}  // namespace descent::data

template <>
struct std::tuple_size<descent::data::Batch> : std::integral_constant<size_t, 2> {};
template <>
struct std::tuple_element<0, descent::data::Batch> {
    using type = descent::Tensor;
};
template <>
struct std::tuple_element<1, descent::data::Batch> {
    using type = descent::Tensor;
};
