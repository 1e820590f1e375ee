// Constant fills, ranges and tensors from values; every factory allocates through make_tensor.
#include "descent/core/factory.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>

#include "descent/core/error.hpp"
#include "descent/core/kernels/copy.hpp"

namespace descent {

namespace {

// ValueError when a finite `value` bound for float32 is beyond float's range (it would become inf,
// as torch.tensor silently makes it); inf and NaN pass. `index` names its place in a list.
void check_float_range(double value, const char* op, int64_t index = -1) {
    // Halfway between FLT_MAX and 2^128: from here on a double rounds to inf. Checked before the
    // cast, which is undefined behaviour for a value out of float's range.
    constexpr double overflows = 0x1.ffffffp127;
    if (!std::isfinite(value) || std::abs(value) < overflows) return;
    throw ValueError(detail::cat(op, "(): value ", std::setprecision(9), value,
                                 index >= 0 ? detail::cat(" at index ", index) : std::string(),
                                 " is beyond float's range (largest ",
                                 std::numeric_limits<float>::max(), "); it would become ",
                                 value > 0 ? "inf" : "-inf"));
}

// ValueError unless `value` is exactly representable in an integer or bool dtype.
void check_integral_value(double value, ScalarType dtype, const char* op) {
    if (is_floating_point(dtype)) return;
    DESCENT_CHECK(std::isfinite(value) && value == std::trunc(value), ValueError, op, "(): value ",
                  value, " cannot be stored in a tensor of dtype ", dtype);
    if (dtype == kBool) return;  // any number: true when non-zero, as static_cast<bool>
    const double lo = dtype == kUInt8 ? 0.0 : -0x1p63, hi = dtype == kUInt8 ? 255.0 : 0x1p63;
    DESCENT_CHECK(value >= lo && (dtype == kUInt8 ? value <= hi : value < hi), ValueError, op,
                  "(): value ", value, " is out of the range of dtype ", dtype);
}

// options.requires_grad() on the new leaf, refused for a non-floating dtype.
Tensor finish(Tensor t, TensorOptions options) {
    if (options.requires_grad()) t.requires_grad_();
    return t;
}

// Every element of `t` (contiguous, new) set to `value` converted to t's dtype.
void fill_with(Tensor& t, double value) {
    visit_dtype(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        std::fill_n(t.data<T>(), t.numel(), static_cast<T>(value));
    });
}

// A new tensor of `shape` and dtype for `op`, checked before any allocation.
Tensor allocate(const Shape& shape, TensorOptions options, const char* op) {
    checked_numel(shape, op);
    DESCENT_CHECK(!options.requires_grad() || is_floating_point(options.dtype()), TypeError, op,
                  "(): only tensors of floating point dtype can require gradients; asked for ",
                  options.dtype());
    return make_tensor(shape, options.dtype());
}

// full() for the factory `op`, which its errors name.
Tensor filled(const Shape& shape, double value, TensorOptions options, const char* op) {
    if (options.dtype() == kFloat32) check_float_range(value, op);
    check_integral_value(value, options.dtype(), op);
    Tensor t = allocate(shape, options, op);
    fill_with(t, value);
    return finish(t, options);
}

}  // namespace

Tensor empty(const Shape& shape, TensorOptions options) {
    return finish(allocate(shape, options, "empty"), options);
}

Tensor full(const Shape& shape, double value, TensorOptions options) {
    return filled(shape, value, options, "full");
}
Tensor zeros(const Shape& shape, TensorOptions options) {
    return filled(shape, 0.0, options, "zeros");
}
Tensor ones(const Shape& shape, TensorOptions options) {
    return filled(shape, 1.0, options, "ones");
}
Tensor scalar_tensor(double value, TensorOptions options) { return full({}, value, options); }

Tensor empty_like(const Tensor& t) { return make_tensor(t.shape(), t.dtype()); }
Tensor empty_like(const Tensor& t, TensorOptions options) { return empty(t.shape(), options); }
Tensor zeros_like(const Tensor& t) { return full(t.shape(), 0.0, t.dtype()); }
Tensor zeros_like(const Tensor& t, TensorOptions options) { return full(t.shape(), 0.0, options); }
Tensor ones_like(const Tensor& t) { return full(t.shape(), 1.0, t.dtype()); }
Tensor ones_like(const Tensor& t, TensorOptions options) { return full(t.shape(), 1.0, options); }
Tensor full_like(const Tensor& t, double value) { return full(t.shape(), value, t.dtype()); }
Tensor full_like(const Tensor& t, double value, TensorOptions options) {
    return full(t.shape(), value, options);
}

Tensor arange(double end, TensorOptions options) { return arange(0.0, end, 1.0, options); }

Tensor arange(double start, double end, double step, TensorOptions options) {
    if (options.dtype() == kFloat32) {  // float32 bounds, as torch.arange's default dtype
        start = float(start), end = float(end), step = float(step);
    }
    DESCENT_CHECK(step != 0.0 && std::isfinite(step) && std::isfinite(start) && std::isfinite(end),
                  ValueError, "arange(): start ", start, ", end ", end, ", step ", step,
                  ": step must be non-zero and all finite");
    DESCENT_CHECK(options.dtype() != kBool, ValueError, "arange(): dtype bool has no ranges");
    const double count = std::ceil((end - start) / step);
    DESCENT_CHECK(count <= double(int64_t(1) << 40), ValueError, "arange(): start ", start,
                  ", end ", end, ", step ", step, " gives ", count, " elements");
    const int64_t n = std::max<int64_t>(0, static_cast<int64_t>(count));
    Tensor t = allocate({n}, options, "arange");
    visit_dtype(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* p = t.data<T>();
        // Computed in double, rounded (or, for integers, truncated) once.
        for (int64_t i = 0; i < n; ++i) p[i] = static_cast<T>(start + step * double(i));
    });
    return finish(t, options);
}

Tensor linspace(double start, double end, int64_t steps, TensorOptions options) {
    DESCENT_CHECK(steps >= 0, ValueError, "linspace(): steps must be >= 0, got ", steps);
    DESCENT_CHECK(is_floating_point(options.dtype()), ValueError,
                  "linspace(): dtype must be floating, got ", options.dtype());
    Tensor t = allocate({steps}, options, "linspace");
    if (options.dtype() == kFloat32) start = float(start), end = float(end);
    const double delta = steps > 1 ? (end - start) / double(steps - 1) : 0.0;
    visit_dtype(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* p = t.data<T>();
        for (int64_t i = 0; i < steps; ++i) p[i] = static_cast<T>(start + delta * double(i));
        if (steps > 1) p[steps - 1] = static_cast<T>(end);  // exact end point, as PyTorch
    });
    return finish(t, options);
}

Tensor eye(int64_t n, TensorOptions options) {
    DESCENT_CHECK(n >= 0, ValueError, "eye(): n must be >= 0, got ", n);
    Tensor t = full({n, n}, 0.0, options.requires_grad(false));
    visit_dtype(t.dtype(), [&](auto tag) {
        using T = decltype(tag);
        for (int64_t i = 0; i < n; ++i) t.data<T>()[i * n + i] = T(1);
    });
    return finish(t, options);
}

Tensor tensor(std::initializer_list<float> values) {
    return tensor(std::vector<float>(values), {static_cast<int64_t>(values.size())});
}

Tensor detail::tensor_from_list(std::initializer_list<double> values, TensorOptions options) {
    return detail::tensor_from(values.begin(), kFloat64, values.size(),
                               {static_cast<int64_t>(values.size())}, options);
}

namespace {
// ShapeError unless n values fill `shape` exactly.
void check_fills(size_t n, const Shape& shape) {
    const int64_t numel = checked_numel(shape, "tensor");
    DESCENT_CHECK(numel == static_cast<int64_t>(n), ShapeError, "tensor(): ", n,
                  " values do not fill shape ", shape, " (", numel, " elements)");
}
}  // namespace

Tensor tensor(const std::vector<float>& values, const Shape& shape) {
    check_fills(values.size(), shape);
    Tensor t = make_tensor(shape);
    std::copy(values.begin(), values.end(), t.data());
    return t;
}

namespace detail {

Tensor tensor_from(const void* values, ScalarType from, size_t n, const Shape& shape,
                   TensorOptions to) {
    check_fills(n, shape);
    if (from == kFloat64) {  // doubles must fit the dtype; int64 and bool data cast as static_cast
        const double* v = static_cast<const double*>(values);
        for (size_t i = 0; i < n; ++i) {
            if (to.dtype() == kFloat32) check_float_range(v[i], "tensor", static_cast<int64_t>(i));
            check_integral_value(v[i], to.dtype(), "tensor");
        }
    }
    Tensor t = allocate(shape, to, "tensor");
    kernels::convert(from, values, contiguous_strides(shape), to.dtype(), t.impl()->first_raw(),
                     t.strides(), shape);
    return finish(t, to);
}

}  // namespace detail

}  // namespace descent
