// Tensor handles: construction, views that share storage, accessors and their bounds checks.
#include "descent/core/tensor.hpp"

#include <cmath>
#include <new>

#include "descent/core/error.hpp"
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

TensorImpl::TensorImpl(std::shared_ptr<Storage> storage_, int64_t offset_, Shape shape_)
    : storage(std::move(storage_)),
      offset(offset_),
      shape(std::move(shape_)),
      numel(descent::numel(shape)) {}

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
    DESCENT_ASSERT(b.offset + offset + numel(shape) <= b.storage->numel());
    return Tensor(std::make_shared<TensorImpl>(b.storage, b.offset + offset, shape));
}

int64_t Tensor::size(int64_t dim) const { return shape()[normalize_dim(dim, shape(), "size")]; }

float Tensor::item() const {
    DESCENT_CHECK(numel() == 1, ValueError,
                  "item(): only a one-element tensor converts to a float; got shape ", shape());
    return data()[0];
}

std::vector<float> Tensor::to_vector() const {
    return std::vector<float>(data(), data() + numel());
}

Tensor& Tensor::requires_grad_(bool requires_grad) {
    DESCENT_CHECK(is_leaf(), StateError,
                  "requires_grad_(): only a leaf tensor's flag can be set; "
                  "this tensor of shape ",
                  shape(), " was made by an op (use detach() first)");
    impl_->requires_grad = requires_grad;
    return *this;
}

bool equal(const Tensor& a, const Tensor& b) {
    if (a.shape() != b.shape()) return false;
    const float* pa = a.data();
    const float* pb = b.data();
    for (int64_t i = 0; i < a.numel(); ++i)
        if (!(pa[i] == pb[i])) return false;
    return true;
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol) {
    if (a.shape() != b.shape()) return false;
    const float* pa = a.data();
    const float* pb = b.data();
    for (int64_t i = 0; i < a.numel(); ++i) {
        const double x = pa[i], y = pb[i];
        if (!(std::abs(x - y) <= atol + rtol * std::abs(y))) return false;  // false on NaN
    }
    return true;
}

}  // namespace descent
