// Tensor handles: construction, views that share storage (any strides), the layout rules, accessors
// and their bounds checks.
#include "descent/core/tensor.hpp"

#include <algorithm>
#include <cmath>
#include <new>
#include <numeric>

#include "descent/core/error.hpp"
#include "descent/core/kernels/copy.hpp"
#include "descent/core/release.hpp"
#include "descent/core/warning.hpp"

namespace descent {

void detail::throw_undefined(const char* what) {
    throw ValueError(detail::cat(what,
                                 "(): called on an undefined tensor (a default-constructed "
                                 "Tensor, or a gradient not computed yet)"));
}

void detail::warn_grad_of_non_leaf() {
    warn_once("grad_of_non_leaf",
              "grad() of a tensor that is not a leaf is read, but backward() fills it only for "
              "leaves; call retain_grad() on it before backward() to keep its gradient (this "
              "warning is given once)");
}

void detail::throw_not_contiguous(const TensorImpl& impl, const char* what) {
    throw StateError(detail::cat(what, "(): the tensor of sizes ", impl.shape, " and strides ",
                                 Shape(impl.strides.begin(), impl.strides.end()),
                                 " is a non-contiguous view; call contiguous() first"));
}

TensorImpl::TensorImpl(std::shared_ptr<Storage> storage_, int64_t offset_, Shape shape_)
    : storage(std::move(storage_)),
      offset(offset_),
      shape(std::move(shape_)),
      strides(contiguous_strides(shape)),
      numel(descent::numel(shape)) {}

TensorImpl::TensorImpl(std::shared_ptr<Storage> storage_, int64_t offset_, Shape shape_,
                       std::vector<int64_t> strides_)
    : storage(std::move(storage_)),
      offset(offset_),
      shape(std::move(shape_)),
      strides(std::move(strides_)),
      numel(descent::numel(shape)),
      contiguous(is_contiguous_layout(shape, strides)) {
    DESCENT_ASSERT(strides.size() == shape.size());
}

TensorImpl::~TensorImpl() {
    // grad_fn may head a long chain of nodes (each owning its inputs); free it without recursion.
    detail::release_iteratively(std::move(grad_fn));
}

Tensor make_tensor(const Shape& shape) {
    const int64_t n = checked_numel(shape, "make_tensor");
    std::shared_ptr<Storage> storage;
    try {
        storage = std::make_shared<Storage>(n);
    } catch (const std::bad_alloc&) {
        throw MemoryError(detail::cat("make_tensor(): cannot allocate ", n * int64_t{sizeof(float)},
                                      " bytes for a tensor of shape ", shape, ": out of memory"));
    }
    return Tensor(std::make_shared<TensorImpl>(std::move(storage), 0, shape));
}

Tensor make_view(const Tensor& base, int64_t offset, const Shape& shape) {
    const TensorImpl& b = *base.impl();
    DESCENT_ASSERT(b.contiguous && b.offset + offset + numel(shape) <= b.storage->numel());
    return Tensor(std::make_shared<TensorImpl>(b.storage, b.offset + offset, shape));
}

Tensor make_strided_view(const Tensor& base, const Shape& shape, std::vector<int64_t> strides,
                         int64_t storage_offset) {
    if (numel(shape) > 0) {  // every element inside the storage (strides are >= 0)
        int64_t last = storage_offset;
        for (size_t d = 0; d < shape.size(); ++d) last += (shape[d] - 1) * strides[d];
        DESCENT_ASSERT(storage_offset >= 0 && last < base.impl()->storage->numel());
    }
    return Tensor(std::make_shared<TensorImpl>(base.impl()->storage, storage_offset, shape,
                                               std::move(strides)));
}

Tensor alias(const Tensor& t) {
    const TensorImpl& b = *t.impl();
    return Tensor(std::make_shared<TensorImpl>(b.storage, b.offset, b.shape, b.strides));
}

bool is_contiguous_layout(const Shape& shape, const std::vector<int64_t>& strides) {
    for (int64_t n : shape)
        if (n == 0) return true;  // no elements: any layout is contiguous
    int64_t expected = 1;
    for (int64_t d = shape.ndim() - 1; d >= 0; --d) {
        if (shape[d] != 1 && strides[d] != expected) return false;
        expected *= shape[d];
    }
    return true;
}

bool has_internal_overlap(const Shape& shape, const std::vector<int64_t>& strides) {
    // Dims by increasing stride: each must step past everything the smaller ones reach.
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < shape.ndim(); ++d) {
        if (shape[d] == 0) return false;
        if (shape[d] > 1) dims.push_back(d);
    }
    std::sort(dims.begin(), dims.end(),
              [&](int64_t a, int64_t b) { return strides[a] < strides[b]; });
    int64_t reach = 0;  // the largest offset the dims so far address
    for (int64_t d : dims) {
        if (strides[d] <= reach) return true;
        reach += strides[d] * (shape[d] - 1);
    }
    return false;
}

Tensor detail::dense(const Tensor& t) {
    if (t.is_contiguous()) return t;
    Tensor out = make_tensor(t.shape());
    kernels::strided_copy(t.impl()->first(), t.strides(), out.data(), out.strides(), t.shape());
    return out;
}

int64_t Tensor::size(int64_t dim) const { return shape()[normalize_dim(dim, shape(), "size")]; }

int64_t Tensor::stride(int64_t dim) const {
    return strides()[normalize_dim(dim, shape(), "stride")];
}

float Tensor::item() const {
    DESCENT_CHECK(numel() == 1, ValueError,
                  "item(): only a one-element tensor converts to a float; got shape ", shape());
    return impl_->first()[0];
}

std::vector<float> Tensor::to_vector() const {
    const Tensor d = detail::dense(*this);
    return std::vector<float>(d.data(), d.data() + numel());
}

Tensor& Tensor::requires_grad_(bool requires_grad) {
    DESCENT_CHECK(is_leaf(), StateError,
                  "requires_grad_(): only a leaf tensor's flag can be set; "
                  "this tensor of shape ",
                  shape(), " was made by an op (use detach() first)");
    impl_->requires_grad = requires_grad;
    return *this;
}

bool equal(const Tensor& a_, const Tensor& b_) {
    if (a_.shape() != b_.shape()) return false;
    const Tensor a = detail::dense(a_), b = detail::dense(b_);
    const float* pa = a.data();
    const float* pb = b.data();
    for (int64_t i = 0; i < a.numel(); ++i)
        if (!(pa[i] == pb[i])) return false;
    return true;
}

bool allclose(const Tensor& a_, const Tensor& b_, double rtol, double atol) {
    if (a_.shape() != b_.shape()) return false;
    const Tensor a = detail::dense(a_), b = detail::dense(b_);
    const float* pa = a.data();
    const float* pb = b.data();
    for (int64_t i = 0; i < a.numel(); ++i) {
        const double x = pa[i], y = pb[i];
        if (!(std::abs(x - y) <= atol + rtol * std::abs(y))) return false;  // false on NaN
    }
    return true;
}

}  // namespace descent
