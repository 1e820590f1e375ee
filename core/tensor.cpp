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

void detail::throw_wrong_dtype(const char* what, ScalarType actual, ScalarType asked) {
    throw TypeError(detail::cat(what, "(): the tensor's dtype is ", actual, ", but it was read as ",
                                asked, " (", cpp_type_name(asked), "); use ", what, "<",
                                cpp_type_name(actual), ">(), or convert first with to(",
                                constant_name(asked), ")"));
}

double detail::read_as_double(const void* p, ScalarType t, int64_t i) {
    return visit_dtype(t, [&](auto stored) {
        return static_cast<double>(static_cast<const decltype(stored)*>(p)[i]);
    });
}

TensorImpl::TensorImpl(std::shared_ptr<Storage> storage_, int64_t offset_, Shape shape_,
                       ScalarType dtype_)
    : storage(std::move(storage_)),
      offset(offset_),
      shape(std::move(shape_)),
      strides(contiguous_strides(shape)),
      numel(descent::numel(shape)),
      dtype(dtype_) {}

TensorImpl::TensorImpl(std::shared_ptr<Storage> storage_, int64_t offset_, Shape shape_,
                       std::vector<int64_t> strides_, ScalarType dtype_)
    : storage(std::move(storage_)),
      offset(offset_),
      shape(std::move(shape_)),
      strides(std::move(strides_)),
      numel(descent::numel(shape)),
      contiguous(is_contiguous_layout(shape, strides)),
      dtype(dtype_) {
    DESCENT_ASSERT(strides.size() == shape.size());
}

TensorImpl::~TensorImpl() {
    // grad_fn may head a long chain of nodes (each owning its inputs); free it without recursion.
    detail::release_iteratively(std::move(grad_fn));
}

Tensor make_tensor(const Shape& shape, ScalarType dtype) {
    const int64_t n = checked_numel(shape, "make_tensor");
    DESCENT_CHECK(n <= INT64_MAX / element_size(dtype), ValueError, "make_tensor(): shape ", shape,
                  " has ", n, " elements, too many for a buffer of ", dtype, " values");
    const int64_t bytes = n * element_size(dtype);
    std::shared_ptr<Storage> storage;
    try {
        storage = std::make_shared<Storage>(bytes);
    } catch (const std::bad_alloc&) {
        throw MemoryError(detail::cat("make_tensor(): cannot allocate ", bytes,
                                      " bytes for a tensor of shape ", shape, " and dtype ", dtype,
                                      ": out of memory"));
    }
    return Tensor(std::make_shared<TensorImpl>(std::move(storage), 0, shape, dtype));
}

namespace {
// Elements of `b`'s dtype that its storage holds.
int64_t storage_elements(const TensorImpl& b) {
    return b.storage->nbytes() / element_size(b.dtype);
}
}  // namespace

Tensor make_view(const Tensor& base, int64_t offset, const Shape& shape) {
    const TensorImpl& b = *base.impl();
    DESCENT_ASSERT(b.contiguous && b.offset + offset + numel(shape) <= storage_elements(b));
    return Tensor(std::make_shared<TensorImpl>(b.storage, b.offset + offset, shape, b.dtype));
}

Tensor make_strided_view(const Tensor& base, const Shape& shape, std::vector<int64_t> strides,
                         int64_t storage_offset) {
    if (numel(shape) > 0) {  // every element inside the storage (strides are >= 0)
        int64_t last = storage_offset;
        for (size_t d = 0; d < shape.size(); ++d) last += (shape[d] - 1) * strides[d];
        DESCENT_ASSERT(storage_offset >= 0 && last < storage_elements(*base.impl()));
    }
    return Tensor(std::make_shared<TensorImpl>(base.impl()->storage, storage_offset, shape,
                                               std::move(strides), base.dtype()));
}

Tensor alias(const Tensor& t) {
    const TensorImpl& b = *t.impl();
    return Tensor(std::make_shared<TensorImpl>(b.storage, b.offset, b.shape, b.strides, b.dtype));
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
    Tensor out = make_tensor(t.shape(), t.dtype());
    if (t.dtype() == kFloat32) {
        kernels::strided_copy(t.impl()->first(), t.strides(), out.data(), out.strides(), t.shape());
    } else {
        kernels::convert(t.dtype(), t.impl()->first_raw(), t.strides(), t.dtype(),
                         out.impl()->first_raw(), out.strides(), t.shape());
    }
    return out;
}

Tensor detail::converted(const Tensor& t, ScalarType dtype) {
    if (t.dtype() == dtype) return dense(t);
    Tensor out = make_tensor(t.shape(), dtype);
    kernels::convert(t.dtype(), t.impl()->first_raw(), t.strides(), dtype, out.impl()->first_raw(),
                     out.strides(), t.shape());
    return out;
}

ScalarType result_type(const Tensor& a, const Tensor& b) {
    return promote_types(a.dtype(), b.dtype());
}

int64_t Tensor::size(int64_t dim) const { return shape()[normalize_dim(dim, shape(), "size")]; }

int64_t Tensor::stride(int64_t dim) const {
    return strides()[normalize_dim(dim, shape(), "stride")];
}

Tensor& Tensor::requires_grad_(bool requires_grad) {
    DESCENT_CHECK(is_leaf(), StateError,
                  "requires_grad_(): only a leaf tensor's flag can be set; "
                  "this tensor of shape ",
                  shape(), " was made by an op (use detach() first)");
    DESCENT_CHECK(!requires_grad || is_floating_point(), TypeError,
                  "requires_grad_(): only tensors of floating point dtype can require gradients; "
                  "this tensor of shape ",
                  shape(), " is ", dtype(), " (convert it with to(kFloat32) first)");
    impl_->requires_grad = requires_grad;
    return *this;
}

bool equal(const Tensor& a_, const Tensor& b_) {
    if (a_.shape() != b_.shape()) return false;
    const ScalarType t = result_type(a_, b_);
    const Tensor a = detail::converted(a_, t), b = detail::converted(b_, t);
    return visit_dtype(t, [&](auto tag) {
        using T = decltype(tag);
        const T* pa = a.data<T>();
        const T* pb = b.data<T>();
        for (int64_t i = 0; i < a.numel(); ++i)
            if (!(pa[i] == pb[i])) return false;
        return true;
    });
}

bool allclose(const Tensor& a_, const Tensor& b_, double rtol, double atol) {
    if (a_.shape() != b_.shape()) return false;
    const Tensor a = detail::converted(a_, kFloat64), b = detail::converted(b_, kFloat64);
    const double* pa = a.data<double>();
    const double* pb = b.data<double>();
    for (int64_t i = 0; i < a.numel(); ++i) {
        const double x = pa[i], y = pb[i];
        if (!(std::abs(x - y) <= atol + rtol * std::abs(y))) return false;  // false on NaN
    }
    return true;
}

}  // namespace descent
