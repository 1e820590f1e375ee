// Constant fills, ranges and tensors from values; every factory allocates through make_tensor.
#include "descent/core/factory.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>

#include "descent/core/error.hpp"

namespace descent {

Tensor empty(const Shape& shape) {
    checked_numel(shape, "empty");
    return make_tensor(shape);
}

Tensor full(const Shape& shape, float value) {
    checked_numel(shape, "full");
    Tensor t = make_tensor(shape);
    std::fill_n(t.data(), t.numel(), value);
    return t;
}

Tensor zeros(const Shape& shape) { return full(shape, 0.0f); }
Tensor ones(const Shape& shape) { return full(shape, 1.0f); }
Tensor scalar_tensor(float value) { return full({}, value); }

Tensor empty_like(const Tensor& t) { return make_tensor(t.shape()); }
Tensor zeros_like(const Tensor& t) { return full(t.shape(), 0.0f); }
Tensor ones_like(const Tensor& t) { return full(t.shape(), 1.0f); }
Tensor full_like(const Tensor& t, float value) { return full(t.shape(), value); }

Tensor arange(float end) { return arange(0.0f, end, 1.0f); }

Tensor arange(float start, float end, float step) {
    DESCENT_CHECK(step != 0.0f && std::isfinite(step) && std::isfinite(start) && std::isfinite(end),
                  ValueError, "arange(): start ", start, ", end ", end, ", step ", step,
                  ": step must be non-zero and all finite");
    const double count = std::ceil((double(end) - start) / step);
    DESCENT_CHECK(count <= double(int64_t(1) << 40), ValueError, "arange(): start ", start,
                  ", end ", end, ", step ", step, " gives ", count, " elements");
    const int64_t n = std::max<int64_t>(0, static_cast<int64_t>(count));
    Tensor t = make_tensor({n});
    float* p = t.data();
    for (int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(start + double(step) * i);
    return t;
}

Tensor linspace(float start, float end, int64_t steps) {
    DESCENT_CHECK(steps >= 0, ValueError, "linspace(): steps must be >= 0, got ", steps);
    Tensor t = make_tensor({steps});
    float* p = t.data();
    const double delta = steps > 1 ? (double(end) - start) / double(steps - 1) : 0.0;
    for (int64_t i = 0; i < steps; ++i) p[i] = static_cast<float>(start + delta * i);
    if (steps > 1) p[steps - 1] = end;  // exact end point, as PyTorch
    return t;
}

Tensor eye(int64_t n) {
    DESCENT_CHECK(n >= 0, ValueError, "eye(): n must be >= 0, got ", n);
    Tensor t = zeros({n, n});
    for (int64_t i = 0; i < n; ++i) t.data()[i * n + i] = 1.0f;
    return t;
}

Tensor tensor(std::initializer_list<float> values) {
    return tensor(std::vector<float>(values), {static_cast<int64_t>(values.size())});
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

Tensor tensor_from_doubles(const double* values, size_t n, const Shape& shape) {
    check_fills(n, shape);
    // Halfway between FLT_MAX and 2^128: from here on a double rounds to inf. Checked before the
    // cast, which is undefined behaviour for a value out of float's range.
    constexpr double overflows = 0x1.ffffffp127;
    for (size_t i = 0; i < n; ++i)
        DESCENT_CHECK(!(std::isfinite(values[i]) && std::abs(values[i]) >= overflows), ValueError,
                      "tensor(): value ", std::setprecision(9), values[i], " at index ", i,
                      " is beyond float's range (largest ", std::numeric_limits<float>::max(),
                      "); it would become ", values[i] > 0 ? "inf" : "-inf");
    Tensor t = make_tensor(shape);
    float* out = t.data();
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(values[i]);
    return t;
}

}  // namespace detail

}  // namespace descent
