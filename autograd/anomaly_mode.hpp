// Anomaly mode: while on, the first NaN or Inf that a recorded op produces in forward, or that a
// node produces in backward, throws a ValueError naming the op, the shape and the file:line of the
// call that created the op. Off by default; when off it costs one flag test per op and per node.
#pragma once

#include <atomic>
#include <vector>

#include "descent/core/source_location.hpp"
#include "descent/core/tensor.hpp"

namespace descent::autograd {

class Node;

namespace detail {
extern std::atomic<bool> anomaly_enabled;
}  // namespace detail

// Process-wide, as torch::autograd::AnomalyMode.
void set_detect_anomaly(bool enabled);
inline bool is_anomaly_enabled() { return detail::anomaly_enabled.load(std::memory_order_relaxed); }

// Sets the mode until destroyed, then restores the previous one:
// torch::autograd::DetectAnomalyGuard.
class DetectAnomalyGuard {
public:
    explicit DetectAnomalyGuard(bool enabled = true);
    ~DetectAnomalyGuard();
    DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
    DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

private:
    bool previous_;
};

namespace detail {

// Set by the ops that take a SourceLocation, for the nodes recorded while they run. Only the
// outermost one counts, so an op built from other located ops reports the user's call.
class CallSiteScope {
public:
    explicit CallSiteScope(SourceLocation loc) {
        if (is_anomaly_enabled()) enter(loc);
    }
    ~CallSiteScope() {
        if (entered_) leave();
    }
    CallSiteScope(const CallSiteScope&) = delete;
    CallSiteScope& operator=(const CallSiteScope&) = delete;

private:
    void enter(SourceLocation loc);
    void leave();
    bool entered_ = false;
};

// Where the op being recorded was called from: the outermost CallSiteScope's, or unknown.
SourceLocation current_call_site();
// Throws if `out` of the just-recorded `node` holds a NaN or an Inf (anomaly mode on).
void check_forward(const Node& node, const Tensor& out);
// Throws if a gradient `node` sent to one of its inputs holds a NaN or an Inf (anomaly mode on).
void check_backward(const Node& node, const std::vector<Tensor>& grads);

}  // namespace detail

}  // namespace descent::autograd
