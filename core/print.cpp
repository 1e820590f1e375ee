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

std::string format_value(float v) {
    char buf[32];
    if (std::isnan(v) || std::isinf(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
    const float a = std::fabs(v);
    if (a != 0.0f && (a >= 1e5f || a < 1e-4f)) {
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
            os << format_value(t.data()[offset + i]);
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
        os << format_value(t.data()[0]);
    } else if (t.numel() == 0) {
        os << "[]";
    } else {
        print_dim(os, t, 0, 0, t.numel() > kThreshold, 7);
    }
    os << ", shape=" << t.shape();
    if (view.requires_grad()) os << ", requires_grad=true";
    return os << ')';
}

}  // namespace descent
