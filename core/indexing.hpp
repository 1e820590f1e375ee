// The index types of libtorch's torch::indexing: an integer, Slice, None, Ellipsis (basic indexing,
// `x.index({Slice(1, None, 2), 0, None, Ellipsis})`, which gives views) and a Tensor (advanced
// indexing: an int64 tensor picks entries of a dim, a bool tensor is a mask; gives copies).
// Tensor::index() turns them into ops (autograd/ops/index.cpp, advanced_index.cpp).
#pragma once

#include <cstdint>
#include <memory>

namespace descent {
class Tensor;
struct TensorImpl;
}  // namespace descent

namespace descent::indexing {

struct NoneType {};
inline constexpr NoneType None{};  // a new dim of size 1 (in index()), or an absent Slice bound
struct EllipsisType {};
inline constexpr EllipsisType Ellipsis{};  // as many full slices as the other indices leave

// A Slice bound: an integer, or None for "from the start / to the end / step 1".
class SliceBound {
public:
    constexpr SliceBound(NoneType) {}
    constexpr SliceBound(int64_t value) : value_(value), is_set_(true) {}
    constexpr SliceBound(int value) : value_(value), is_set_(true) {}
    constexpr bool is_set() const { return is_set_; }
    constexpr int64_t value_or(int64_t fallback) const { return is_set_ ? value_ : fallback; }

private:
    int64_t value_ = 0;
    bool is_set_ = false;
};

// start:stop:step of Python slicing; negative bounds count from the end, out-of-range ones clamp.
class Slice {
public:
    constexpr Slice(SliceBound start = None, SliceBound stop = None, SliceBound step = None)
        : start_(start), stop_(stop), step_(step) {}
    constexpr SliceBound start() const { return start_; }
    constexpr SliceBound stop() const { return stop_; }
    constexpr SliceBound step() const { return step_; }

private:
    SliceBound start_, stop_, step_;
};

// One entry of an index list: an integer, a Slice, None, Ellipsis or a Tensor (int64 or bool).
class TensorIndex {
public:
    enum class Kind { Integer, Slice, None, Ellipsis, Tensor };
    TensorIndex(int64_t index) : kind_(Kind::Integer), integer_(index) {}
    TensorIndex(int index) : kind_(Kind::Integer), integer_(index) {}
    TensorIndex(Slice slice) : kind_(Kind::Slice), slice_(slice) {}
    TensorIndex(NoneType) : kind_(Kind::None) {}
    TensorIndex(EllipsisType) : kind_(Kind::Ellipsis) {}
    TensorIndex(const Tensor& tensor);  // core/indexing.cpp; ValueError when undefined

    Kind kind() const { return kind_; }
    int64_t integer() const { return integer_; }
    const Slice& slice() const { return slice_; }
    Tensor tensor() const;  // the index tensor (Kind::Tensor)

private:
    Kind kind_;
    int64_t integer_ = 0;
    Slice slice_;
    std::shared_ptr<TensorImpl> tensor_;
};

}  // namespace descent::indexing
