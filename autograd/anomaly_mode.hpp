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

// Process-wide, as torch::autograd::AnomalyMode. The flag lives in core/source_location.hpp, where
// CallSite reads it.
void set_detect_anomaly(bool enabled);
inline bool is_anomaly_enabled() {
    return descent::detail::anomaly_enabled.load(std::memory_order_relaxed);
}

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

// Throws if `out` of the just-recorded `node` holds a NaN or an Inf (anomaly mode on).
void check_forward(const Node& node, const Tensor& out);
// Throws if a gradient `node` sent to one of its inputs holds a NaN or an Inf (anomaly mode on).
void check_backward(const Node& node, const std::vector<Tensor>& grads);

}  // namespace detail

}  // namespace descent::autograd
