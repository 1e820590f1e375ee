// operator<< for tensors: nested brackets per dim, PyTorch's abbreviation past 1000 elements.
#include "descent/core/print.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

namespace descent {

namespace {
constexpr int64_t kThreshold = 1000;  // more elements than this: abbreviate
constexpr int64_t kEdgeItems = 3;     // values kept at each end of an abbreviated dim

std::string format_value(double v, ScalarType dtype) {
    char buf[32];
    if (dtype == kBool) return v != 0 ? "true" : "false";
    if (!is_floating_point(dtype)) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
        return buf;
    }
    if (std::isnan(v) || std::isinf(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
    const double a = std::fabs(v);
    // float32 bounds as before dtypes (1e-4f is not 1e-4), so float32 prints as it did.
    const bool small = dtype == kFloat32 ? a < double(1e-4f) : a < 1e-4;
    if (a != 0.0 && (a >= 1e5 || small)) {
        std::snprintf(buf, sizeof buf, "%.4e", v);
    } else {
        std::snprintf(buf, sizeof buf, "%.4f", v);
    }
    return buf;
}

// Prints dim `d` of t starting at element `offset`, indented to line up under its bracket.
void print_dim(std::ostream& os, const Tensor& t, int64_t d, int64_t offset, bool abbreviate,
               int indent) {
    const Shape& s = t.shape();
    int64_t stride = 1;
    for (int64_t k = d + 1; k < s.ndim(); ++k) stride *= s[k];
    const int64_t n = s[d];
    const bool cut = abbreviate && n > 2 * kEdgeItems;
    os << '[';
    for (int64_t i = 0; i < n; ++i) {
        if (cut && i == kEdgeItems) {
            i = n - kEdgeItems;  // skip the middle
            os << (d + 1 == s.ndim() ? "..., " : "...,\n" + std::string(indent + 1, ' '));
        }
        if (d + 1 == s.ndim()) {
            os << format_value(detail::read_as_double(t.impl()->first_raw(), t.dtype(), offset + i),
                               t.dtype());
        } else {
            print_dim(os, t, d + 1, offset + i * stride, abbreviate, indent + 1);
        }
        if (i + 1 < n) {
            if (d + 1 == s.ndim()) {
                os << ", ";
            } else {
                os << ",\n"
                   << std::string(static_cast<size_t>(s.ndim() - d - 2), '\n')
                   << std::string(indent + 1, ' ');
            }
        }
    }
    os << ']';
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const Tensor& view) {
    if (!view.defined()) return os << "tensor(undefined)";
    const Tensor t = detail::dense(view);  // a view prints its values, row-major
    os << "tensor(";
    if (t.dim() == 0) {
        os << format_value(detail::read_as_double(t.impl()->first_raw(), t.dtype(), 0), t.dtype());
    } else if (t.numel() == 0) {
        os << "[]";
    } else {
        print_dim(os, t, 0, 0, t.numel() > kThreshold, 7);
    }
    os << ", shape=" << t.shape();
    // As PyTorch, the dtype is shown unless a literal would give it: float32, int64 or bool.
    if (t.dtype() == kFloat64 || t.dtype() == kUInt8) os << ", dtype=" << t.dtype();
    if (view.requires_grad()) os << ", requires_grad=true";
    return os << ')';
}

}  // namespace descent
