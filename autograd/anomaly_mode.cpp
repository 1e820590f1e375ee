// Anomaly mode: setting the flag, and the NaN/Inf checks.
#include "descent/autograd/anomaly_mode.hpp"

#include <cmath>

#include "descent/autograd/node.hpp"
#include "descent/core/error.hpp"

namespace descent::autograd {

void set_detect_anomaly(bool enabled) {
    descent::detail::anomaly_enabled.store(enabled, std::memory_order_relaxed);
}

DetectAnomalyGuard::DetectAnomalyGuard(bool enabled) : previous_(is_anomaly_enabled()) {
    set_detect_anomaly(enabled);
}
DetectAnomalyGuard::~DetectAnomalyGuard() { set_detect_anomaly(previous_); }

namespace detail {

namespace {

using ::descent::detail::cat;

std::string where(SourceLocation loc) {
    return loc.known() ? cat("created at ", loc.file, ":", loc.line)
                       : "created at unknown location";
}

// "nan" or "inf"/"-inf" for the first non-finite value, empty when all are finite.
std::string first_bad(const Tensor& view) {
    const Tensor t = ::descent::detail::dense(view);
    const float* p = t.data();
    for (int64_t i = 0; i < t.numel(); ++i)
        if (!std::isfinite(p[i])) return std::isnan(p[i]) ? "nan" : (p[i] > 0 ? "inf" : "-inf");
    return {};
}

}  // namespace

void check_forward(const Node& node, const Tensor& out) {
    const std::string bad = first_bad(out);
    if (bad.empty()) return;
    throw ValueError(cat("anomaly detected: the forward of ", node.name(), " produced ", bad,
                         " in its output of shape ", out.shape(), ", ", where(node.created_at)));
}

void check_backward(const Node& node, const std::vector<Tensor>& grads) {
    for (size_t i = 0; i < grads.size(); ++i) {
        if (!grads[i].defined()) continue;
        const std::string bad = first_bad(grads[i]);
        if (bad.empty()) continue;
        throw ValueError(cat("anomaly detected: ", node.name(), " (output shape ",
                             node.output_shape(), ", ", where(node.created_at), ") returned ", bad,
                             " in its gradient for input ", i, " of shape ", grads[i].shape()));
    }
}

}  // namespace detail

}  // namespace descent::autograd
