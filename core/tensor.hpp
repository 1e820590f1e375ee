// Tensor: descent's n-dimensional array. A Tensor is a cheap handle (a shared_ptr to its
// TensorImpl): copying it shares the data, clone() copies it. A tensor is (storage, offset, sizes,
// strides, dtype), as in PyTorch: views (transpose, expand, select, slice, ...) share storage, and
// only a contiguous tensor hands out data() (docs/design.md, "Strided views", "Dtypes").
//
// The methods below that compute or touch gradients (sum(), backward(), zero_(), ...) are defined
// in autograd/, which records them on the tape; core/ itself never calls into autograd.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "descent/core/dtype.hpp"
#include "descent/core/error.hpp"
#include "descent/core/indexing.hpp"
#include "descent/core/removable_handle.hpp"
#include "descent/core/shape.hpp"
#include "descent/core/source_location.hpp"
#include "descent/core/storage.hpp"

namespace descent {

namespace autograd {
class Node;
}
struct TensorImpl;
class Generator;
class Tensor;

// A gradient hook: sees dL/d(tensor) during backward; returns a replacement, or an undefined
// Tensor to leave the gradient as it is.
using GradHook = std::function<Tensor(const Tensor&)>;

class Tensor {
public:
    Tensor() = default;  // an undefined tensor, as a default torch::Tensor
    explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

    // --- data and shape -----------------------------------------------------------------------
    bool defined() const { return impl_ != nullptr; }
    const Shape& shape() const;
    const Shape& sizes() const { return shape(); }
    int64_t size(int64_t dim) const;  // negative dims count from the end
    int64_t dim() const { return shape().ndim(); }
    int64_t numel() const;
    ScalarType dtype() const;
    ScalarType scalar_type() const { return dtype(); }
    TensorOptions options() const { return TensorOptions(dtype()); }
    int64_t element_size() const { return descent::element_size(dtype()); }
    bool is_floating_point() const { return descent::is_floating_point(dtype()); }
    // The first element of a contiguous tensor; StateError on a non-contiguous view (whose
    // elements are not one row-major block): call contiguous() first. TypeError naming both dtypes
    // when T is not the tensor's element type; data() is data<float>().
    template <class T>
    T* data_ptr();
    template <class T>
    const T* data_ptr() const;
    template <class T>
    T* data() {
        return data_ptr<T>();
    }
    template <class T>
    const T* data() const {
        return data_ptr<T>();
    }
    float* data() { return data_ptr<float>(); }
    const float* data() const { return data_ptr<float>(); }
    // The value of a one-element tensor (ValueError otherwise), converted to T from any dtype,
    // as libtorch's item<T>(); item() is item<float>().
    template <class T>
    T item() const;
    float item() const { return item<float>(); }
    // The values in row-major order, for any layout; TypeError unless T is the element type.
    template <class T>
    std::vector<T> to_vector() const;
    std::vector<float> to_vector() const { return to_vector<float>(); }
    // A copy converted to `dtype` (*this when it already has it, unless copy); differentiable
    // between floating dtypes, the gradient converted back.
    Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false, CallSite = {}) const;

    // Layout, in elements: element (i, j, ...) lives at storage_offset() + i*stride(0) + ...
    const std::vector<int64_t>& strides() const;
    int64_t stride(int64_t dim) const;  // negative dims count from the end
    int64_t storage_offset() const;
    bool is_contiguous() const;  // row-major without gaps (a cached flag: a load)
    // *this when contiguous (no copy); otherwise a contiguous copy, differentiable as clone().
    Tensor contiguous(CallSite = {}) const;

    TensorImpl* impl() const { return impl_.get(); }
    const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }
    bool is_same(const Tensor& other) const { return impl_ == other.impl_; }
    // Version of the underlying storage: in-place writes bump it (see autograd's saved tensors).
    uint64_t version() const;

    // --- autograd state -------------------------------------------------------------------------
    bool requires_grad() const;
    Tensor& requires_grad_(bool requires_grad = true);  // leaves only, as in PyTorch
    bool is_leaf() const;                               // no grad_fn: made by the user, not an op
    const std::shared_ptr<autograd::Node>& grad_fn() const;
    const Tensor& grad() const;  // undefined until a backward reaches this tensor
    Tensor& mutable_grad();      // e.g. `p.mutable_grad() = Tensor();` to drop a gradient
    bool retains_grad() const;

    // --- autograd (defined in autograd/) --------------------------------------------------------
    // Gradients of this tensor w.r.t. every leaf that requires grad, accumulated into their grad().
    // `gradient` may be omitted for a one-element tensor. The graph is freed unless retain_graph;
    // create_graph records the backward itself, for higher-order gradients.
    void backward(const Tensor& gradient = Tensor(), bool retain_graph = false,
                  bool create_graph = false) const;
    Tensor detach() const;     // same data, cut from the graph
    void retain_grad() const;  // keep grad() for this non-leaf tensor too
    // Runs `hook` on this tensor's gradient every time a backward computes it: for a leaf before
    // it is added into grad(), for a non-leaf before its grad_fn uses it. Hooks run in
    // registration order, each on the previous one's result. StateError unless requires_grad().
    RemovableHandle register_hook(GradHook hook) const;
    void remove_hook(RemovableHandle& handle) const { handle.remove(); }

    // --- in place (defined in autograd/) --------------------------------------------------------
    // Refused on a tensor that requires grad while grad mode is on (use NoGradGuard), and each
    // bumps the version, so a tensor saved for backward and then modified is caught at backward.
    Tensor& zero_();
    Tensor& fill_(double value);       // converted to the dtype as static_cast (int64: truncated)
    Tensor& copy_(const Tensor& src);  // src broadcast to this shape
    Tensor& add_(const Tensor& other, float alpha = 1.0f);  // this += alpha * other
    Tensor& sub_(const Tensor& other, float alpha = 1.0f);
    Tensor& mul_(const Tensor& other);
    Tensor& mul_(double value);
    Tensor& div_(const Tensor& other);
    Tensor& clamp_(float min, float max);
    Tensor& uniform_(float low = 0.0f, float high = 1.0f);
    Tensor& uniform_(float low, float high, Generator& gen);
    Tensor& normal_(float mean = 0.0f, float std = 1.0f);
    Tensor& normal_(float mean, float std, Generator& gen);

    // --- method forms of the ops in autograd/ops (same meaning as the free functions) -----------
    // Each takes the caller's CallSite (core/source_location.hpp), as the free functions do.
    Tensor clone(CallSite = {}) const;
    Tensor neg(CallSite = {}) const;
    Tensor exp(CallSite = {}) const;
    Tensor log(CallSite = {}) const;
    Tensor sqrt(CallSite = {}) const;
    Tensor abs(CallSite = {}) const;
    Tensor tanh(CallSite = {}) const;
    Tensor sigmoid(CallSite = {}) const;
    Tensor relu(CallSite = {}) const;
    Tensor pow(float exponent, CallSite = {}) const;
    Tensor pow(const Tensor& exponent, CallSite = {}) const;
    Tensor clamp(float min, float max, CallSite = {}) const;
    Tensor sin(CallSite = {}) const;
    Tensor cos(CallSite = {}) const;
    Tensor log1p(CallSite = {}) const;
    Tensor expm1(CallSite = {}) const;
    Tensor square(CallSite = {}) const;
    Tensor rsqrt(CallSite = {}) const;
    Tensor reciprocal(CallSite = {}) const;
    Tensor erf(CallSite = {}) const;

    Tensor sum(CallSite = {}) const;
    Tensor sum(int64_t dim, bool keepdim = false, CallSite = {}) const;
    Tensor mean(CallSite = {}) const;
    Tensor mean(int64_t dim, bool keepdim = false, CallSite = {}) const;
    Tensor max(CallSite = {}) const;
    Tensor max(int64_t dim, bool keepdim = false, CallSite = {}) const;
    Tensor min(CallSite = {}) const;
    Tensor min(int64_t dim, bool keepdim = false, CallSite = {}) const;
    Tensor var(bool unbiased = true, CallSite = {}) const;
    Tensor var(int64_t dim, bool unbiased = true, bool keepdim = false, CallSite = {}) const;
    Tensor var(int dim, bool unbiased = true, bool keepdim = false,
               CallSite = {}) const;  // var(1) is dim 1
    std::vector<int64_t> argmax() const;
    std::vector<int64_t> argmax(int64_t dim) const;
    std::vector<int64_t> argmin() const;
    std::vector<int64_t> argmin(int64_t dim) const;
    Tensor sum_to_size(const Shape& shape, CallSite = {}) const;

    Tensor matmul(const Tensor& other, CallSite = {}) const;
    Tensor mm(const Tensor& other, CallSite = {}) const;
    Tensor reshape(const Shape& shape, CallSite = {}) const;
    Tensor view(const Shape& shape, CallSite = {}) const;
    Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1, CallSite = {}) const;
    Tensor squeeze(CallSite = {}) const;
    Tensor squeeze(int64_t dim, CallSite = {}) const;
    Tensor unsqueeze(int64_t dim, CallSite = {}) const;
    Tensor expand(const Shape& shape, CallSite = {}) const;
    Tensor t(CallSite = {}) const;
    Tensor T(CallSite = {}) const;  // all dims reversed (PyTorch's .T)
    Tensor transpose(int64_t dim0, int64_t dim1, CallSite = {}) const;
    Tensor permute(const std::vector<int64_t>& dims, CallSite = {}) const;
    Tensor slice(int64_t dim, int64_t start, int64_t end, int64_t step = 1, CallSite = {}) const;
    Tensor narrow(int64_t dim, int64_t start, int64_t length, CallSite = {}) const;
    Tensor select(int64_t dim, int64_t index, CallSite = {}) const;
    Tensor diagonal(int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1, CallSite = {}) const;
    Tensor unfold(int64_t dim, int64_t size, int64_t step, CallSite = {}) const;
    // Basic indexing as libtorch spells it (core/indexing.hpp): integers, Slice, None, Ellipsis.
    // A view of this tensor; differentiable.
    Tensor index(std::initializer_list<indexing::TensorIndex> indices, CallSite = {}) const;
    Tensor operator[](int64_t index) const;  // select(0, index)
    // Writes `value` through the view index(indices) into this tensor (value broadcast to it).
    Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value);
    Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices, float value);
    // The same out of place: a copy with the region replaced, differentiable (IndexPutBackward).
    Tensor index_put(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value,
                     CallSite = {}) const;
    Tensor index_put(std::initializer_list<indexing::TensorIndex> indices, float value,
                     CallSite = {}) const;
    Tensor index_select(int64_t dim, const std::vector<int64_t>& index, CallSite = {}) const;
    Tensor gather(int64_t dim, const std::vector<int64_t>& index, CallSite = {}) const;

    Tensor softmax(int64_t dim, CallSite = {}) const;
    Tensor log_softmax(int64_t dim, CallSite = {}) const;
    Tensor logsumexp(int64_t dim, bool keepdim = false, CallSite = {}) const;

    // --- everyday ops (autograd/ops/reduce_dims, scan, norm, split, repeat, reorder, pointwise,
    // einsum; defined in autograd/everyday_methods.cpp)
    // -------------------------------------------- Method forms with the free functions' meaning.
    // The in-place scalar forms and the compound operators record nothing and are refused where
    // add_ is: x += y is x.add_(y), x *= 2.f is x.mul_(2.f). Members, so that they also write
    // through a view: x.narrow(0, 0, 1) += 1.f.
    Tensor& add_(double value);
    Tensor& sub_(double value);
    Tensor& div_(double value);
    Tensor& operator+=(const Tensor& other);
    Tensor& operator+=(double value);
    Tensor& operator-=(const Tensor& other);
    Tensor& operator-=(double value);
    Tensor& operator*=(const Tensor& other);
    Tensor& operator*=(double value);
    Tensor& operator/=(const Tensor& other);
    Tensor& operator/=(double value);

    Tensor sum(const std::vector<int64_t>& dims, bool keepdim = false, CallSite = {}) const;
    Tensor mean(const std::vector<int64_t>& dims, bool keepdim = false, CallSite = {}) const;
    Tensor amax(const std::vector<int64_t>& dims = {}, bool keepdim = false, CallSite = {}) const;
    Tensor amax(int64_t dim, bool keepdim = false, CallSite = {}) const;
    Tensor amin(const std::vector<int64_t>& dims = {}, bool keepdim = false, CallSite = {}) const;
    Tensor amin(int64_t dim, bool keepdim = false, CallSite = {}) const;
    Tensor var(const std::vector<int64_t>& dims, int64_t correction, bool keepdim = false,
               CallSite = {}) const;
    Tensor var(std::nullopt_t all_dims, int64_t correction, bool keepdim = false,
               CallSite = {}) const;
    Tensor var(int64_t dim, int correction, bool keepdim = false, CallSite = {}) const;
    Tensor var(int dim, int correction, bool keepdim = false, CallSite = {}) const;
    Tensor std(bool unbiased = true, CallSite = {}) const;
    Tensor std(int64_t dim, bool unbiased = true, bool keepdim = false, CallSite = {}) const;
    Tensor std(int dim, bool unbiased = true, bool keepdim = false, CallSite = {}) const;
    Tensor std(const std::vector<int64_t>& dims, int64_t correction, bool keepdim = false,
               CallSite = {}) const;
    Tensor std(std::nullopt_t all_dims, int64_t correction, bool keepdim = false,
               CallSite = {}) const;
    Tensor std(int64_t dim, int correction, bool keepdim = false, CallSite = {}) const;
    Tensor std(int dim, int correction, bool keepdim = false, CallSite = {}) const;
    Tensor norm(float p = 2.0f, CallSite = {}) const;
    Tensor norm(float p, const std::vector<int64_t>& dims, bool keepdim = false,
                CallSite = {}) const;
    Tensor norm(const std::string& p, const std::vector<int64_t>& dims = {}, bool keepdim = false,
                CallSite = {}) const;
    Tensor prod(CallSite = {}) const;
    Tensor prod(int64_t dim, bool keepdim = false, CallSite = {}) const;
    Tensor cumsum(int64_t dim, CallSite = {}) const;
    Tensor cumprod(int64_t dim, CallSite = {}) const;

    std::vector<Tensor> chunk(int64_t chunks, int64_t dim = 0, CallSite = {}) const;
    std::vector<Tensor> split(int64_t split_size, int64_t dim = 0, CallSite = {}) const;
    std::vector<Tensor> split(const std::vector<int64_t>& split_sizes, int64_t dim = 0,
                              CallSite = {}) const;
    std::vector<Tensor> split_with_sizes(const std::vector<int64_t>& split_sizes, int64_t dim = 0,
                                         CallSite = {}) const;
    std::vector<Tensor> unbind(int64_t dim = 0, CallSite = {}) const;
    Tensor repeat(const std::vector<int64_t>& repeats, CallSite = {}) const;
    Tensor tile(const std::vector<int64_t>& reps, CallSite = {}) const;
    Tensor repeat_interleave(int64_t repeats, std::optional<int64_t> dim = std::nullopt,
                             CallSite = {}) const;
    Tensor flip(const std::vector<int64_t>& dims, CallSite = {}) const;
    Tensor roll(const std::vector<int64_t>& shifts, const std::vector<int64_t>& dims = {},
                CallSite = {}) const;
    Tensor tril(int64_t diagonal = 0, CallSite = {}) const;
    Tensor triu(int64_t diagonal = 0, CallSite = {}) const;

    Tensor clamp(const std::optional<Tensor>& min, const std::optional<Tensor>& max,
                 CallSite = {}) const;
    Tensor clamp(std::optional<float> min, std::optional<float> max, CallSite = {}) const;
    Tensor lerp(const Tensor& end, float weight, CallSite = {}) const;
    Tensor lerp(const Tensor& end, const Tensor& weight, CallSite = {}) const;
    Tensor atan2(const Tensor& other, CallSite = {}) const;
    Tensor floor(CallSite = {}) const;
    Tensor ceil(CallSite = {}) const;
    Tensor round(CallSite = {}) const;
    Tensor trunc(CallSite = {}) const;
    Tensor nan_to_num(std::optional<float> nan = std::nullopt,
                      std::optional<float> posinf = std::nullopt,
                      std::optional<float> neginf = std::nullopt, CallSite = {}) const;

    // Dtypes and masks (autograd/ops/arithmetic.hpp, compare.hpp, logical.hpp, mask.hpp).
    Tensor floor_divide(const Tensor& other, CallSite = {}) const;
    Tensor remainder(const Tensor& other, CallSite = {}) const;
    Tensor eq(const Tensor& other) const;  // bool results
    Tensor ne(const Tensor& other) const;
    Tensor lt(const Tensor& other) const;
    Tensor le(const Tensor& other) const;
    Tensor gt(const Tensor& other) const;
    Tensor ge(const Tensor& other) const;
    Tensor isnan() const;
    Tensor isinf() const;
    Tensor isfinite() const;
    Tensor all() const;  // a 0-d bool tensor: every element != 0
    Tensor any() const;
    Tensor all(int64_t dim, bool keepdim = false) const;
    Tensor any(int64_t dim, bool keepdim = false) const;
    Tensor logical_and(const Tensor& other) const;
    Tensor logical_or(const Tensor& other) const;
    Tensor logical_xor(const Tensor& other) const;
    Tensor logical_not() const;
    Tensor masked_fill(const Tensor& mask, double value, CallSite = {}) const;
    Tensor masked_fill(const Tensor& mask, const Tensor& value, CallSite = {}) const;
    Tensor& masked_fill_(const Tensor& mask, double value);
    Tensor& masked_fill_(const Tensor& mask, const Tensor& value);
    Tensor masked_select(const Tensor& mask, CallSite = {}) const;

private:
    std::shared_ptr<TensorImpl> impl_;
};

// What a Tensor handle points to. Fields are public to descent's own layers; users go through
// Tensor.
struct TensorImpl {
    // A contiguous (row-major) tensor.
    TensorImpl(std::shared_ptr<Storage> storage, int64_t offset, Shape shape,
               ScalarType dtype = ScalarType::Float32);
    // Any layout; `strides` has one entry per dim, in elements.
    TensorImpl(std::shared_ptr<Storage> storage, int64_t offset, Shape shape,
               std::vector<int64_t> strides, ScalarType dtype = ScalarType::Float32);
    ~TensorImpl();
    TensorImpl(const TensorImpl&) = delete;
    TensorImpl& operator=(const TensorImpl&) = delete;

    // The first element, whatever the layout (kernels that take strides start here), as T:
    // the caller has checked that T is the dtype. first() is first_as<float>().
    template <class T>
    T* first_as() const {
        return static_cast<T*>(storage->data()) + offset;
    }
    float* first() const { return first_as<float>(); }
    // The first element's address, for kernels that move bytes whatever the dtype.
    void* first_raw() const {
        return static_cast<char*>(storage->data()) + offset * descent::element_size(dtype);
    }

    std::shared_ptr<Storage> storage;
    int64_t offset = 0;  // in elements; non-zero for a view of a later part of the storage
    Shape shape;
    std::vector<int64_t> strides;  // in elements, one per dim
    int64_t numel = 0;
    bool contiguous = true;  // strides are shape's row-major ones (size-1 dims excepted)
    ScalarType dtype = ScalarType::Float32;  // how the storage's bytes are read

    // Autograd state. core/ only carries it; autograd/ reads and writes it.
    bool requires_grad = false;
    bool retains_grad = false;
    std::shared_ptr<autograd::Node> grad_fn;  // the op that made this tensor; null for a leaf
    std::weak_ptr<autograd::Node> grad_accumulator;  // a leaf's AccumulateGrad node, shared by uses
    Tensor grad;
    // A leaf's gradient hooks, by id (a non-leaf's live on its grad_fn, which outlives it).
    std::vector<std::pair<uint64_t, GradHook>> grad_hooks;
};

namespace detail {
// Throws ValueError: `what` was called on an undefined tensor. Out of line, so the accessors below
// stay a compare and a load.
[[noreturn]] void throw_undefined(const char* what);
// Warns once that grad() of a non-leaf is read without retain_grad() (PyTorch's warning).
void warn_grad_of_non_leaf();
// Throws StateError: `what` needs a contiguous tensor, naming its sizes and strides.
[[noreturn]] void throw_not_contiguous(const TensorImpl& impl, const char* what);
// Throws TypeError: `what` read a tensor of dtype `actual` as `asked`.
[[noreturn]] void throw_wrong_dtype(const char* what, ScalarType actual, ScalarType asked);
// The value of element `i` of a contiguous buffer of dtype `t`, as a double.
double read_as_double(const void* p, ScalarType t, int64_t i);
}  // namespace detail

#define DESCENT_DEFINED(what) \
    if (!impl_) detail::throw_undefined(what)

inline const Shape& Tensor::shape() const {
    DESCENT_DEFINED("shape");
    return impl_->shape;
}
inline int64_t Tensor::numel() const {
    DESCENT_DEFINED("numel");
    return impl_->numel;
}
inline ScalarType Tensor::dtype() const {
    DESCENT_DEFINED("dtype");
    return impl_->dtype;
}
template <class T>
T* Tensor::data_ptr() {
    DESCENT_DEFINED("data");
    if (impl_->dtype != dtype_of_v<T>)
        detail::throw_wrong_dtype("data", impl_->dtype, dtype_of_v<T>);
    if (!impl_->contiguous) detail::throw_not_contiguous(*impl_, "data");
    return impl_->first_as<T>();
}
template <class T>
const T* Tensor::data_ptr() const {
    return const_cast<Tensor*>(this)->data_ptr<T>();
}
inline const std::vector<int64_t>& Tensor::strides() const {
    DESCENT_DEFINED("strides");
    return impl_->strides;
}
inline int64_t Tensor::storage_offset() const {
    DESCENT_DEFINED("storage_offset");
    return impl_->offset;
}
inline bool Tensor::is_contiguous() const {
    DESCENT_DEFINED("is_contiguous");
    return impl_->contiguous;
}
inline uint64_t Tensor::version() const {
    DESCENT_DEFINED("version");
    return impl_->storage->version();
}
inline bool Tensor::requires_grad() const {
    DESCENT_DEFINED("requires_grad");
    return impl_->requires_grad;
}
inline bool Tensor::is_leaf() const {
    DESCENT_DEFINED("is_leaf");
    return impl_->grad_fn == nullptr;
}
inline const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const {
    DESCENT_DEFINED("grad_fn");
    return impl_->grad_fn;
}
inline const Tensor& Tensor::grad() const {
    DESCENT_DEFINED("grad");
    if (impl_->grad_fn && !impl_->retains_grad) detail::warn_grad_of_non_leaf();
    return impl_->grad;
}
inline Tensor& Tensor::mutable_grad() {
    DESCENT_DEFINED("mutable_grad");
    return impl_->grad;
}
inline bool Tensor::retains_grad() const {
    DESCENT_DEFINED("retains_grad");
    return impl_->retains_grad;
}

#undef DESCENT_DEFINED

// A new tensor of this shape with its own, uninitialised storage (core's building block for
// outputs). ValueError for a shape with too many elements; MemoryError naming the shape and the
// bytes when the allocator refuses the buffer (never std::bad_alloc).
Tensor make_tensor(const Shape& shape, ScalarType dtype = ScalarType::Float32);
// A contiguous tensor sharing `base`'s storage from `offset` elements past base's start, with
// another shape and base's dtype (base must be contiguous).
Tensor make_view(const Tensor& base, int64_t offset, const Shape& shape);
// A view of `base`'s storage with any layout: `storage_offset` counts from the storage's start, as
// PyTorch's as_strided. The caller checks that every element lies inside the storage.
Tensor make_strided_view(const Tensor& base, const Shape& shape, std::vector<int64_t> strides,
                         int64_t storage_offset);
// The same storage, offset, sizes, strides and dtype as `t`, under a new handle (no autograd
// state).
Tensor alias(const Tensor& t);

// Layout rules shared by the views and the in-place writes.
bool is_contiguous_layout(const Shape& shape, const std::vector<int64_t>& strides);
// True when two different indices may reach one memory location (an expanded dim, or dims whose
// strides interleave), so an in-place write there would be ill-defined.
bool has_internal_overlap(const Shape& shape, const std::vector<int64_t>& strides);

namespace detail {
// `t` when contiguous, else a contiguous copy of its values with no autograd state: how core/ and
// the kernels' doors read a tensor of any layout.
Tensor dense(const Tensor& t);
// `t`'s values as a contiguous tensor of `dtype` (dense(t) when it has it): how a kernel's door
// reads an operand promoted to the dtype the kernel runs in. No autograd state.
Tensor converted(const Tensor& t, ScalarType dtype);
}  // namespace detail

// The element type a kernel runs in for these operands: promote_types over their dtypes.
ScalarType result_type(const Tensor& a, const Tensor& b);
// True when both have the same shape and equal values (torch::equal), compared after promotion.
bool equal(const Tensor& a, const Tensor& b);
// True when shapes match and |a - b| <= atol + rtol * |b| everywhere (torch::allclose); NaNs
// differ.
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-5, double atol = 1e-8);

template <class T>
T Tensor::item() const {
    DESCENT_CHECK(numel() == 1, ValueError,
                  "item(): only a one-element tensor converts to a number; got shape ", shape());
    return visit_dtype(impl_->dtype, [&](auto stored) {
        return static_cast<T>(*static_cast<const decltype(stored)*>(impl_->first_raw()));
    });
}

template <class T>
std::vector<T> Tensor::to_vector() const {
    if (dtype() != dtype_of_v<T>) detail::throw_wrong_dtype("to_vector", dtype(), dtype_of_v<T>);
    const Tensor d = detail::dense(*this);
    const T* p = d.data_ptr<T>();
    return std::vector<T>(p, p + numel());
}

}  // namespace descent
