// Gradient-flow diagnostics of a model in training: per parameter (by name) the gradient norm, the
// weight norm and the update/weight ratio of the last optimizer step; per ReLU module the fraction
// of dead units; and warnings when gradients vanish or explode or the step size is far from the
// usual ~1e-3 of the weights (docs/diagnostics.md). Costs nothing unless constructed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "descent/core/named_tensors.hpp"
#include "descent/core/removable_handle.hpp"
#include "descent/nn/module.hpp"

namespace descent::train {

// When a warning fires; every bound is checked by GradientDiagnostics' constructor.
class GradientDiagnosticsOptions {
public:
    // A gradient norm below this is vanishing: ~float32's epsilon, so even lr 1 moves a weight of
    // size 1 by less than its rounding step.
    GradientDiagnosticsOptions& vanishing_grad_norm(double v) { return vanishing_ = v, *this; }
    // A gradient norm above this is exploding: 100-1000x the max_norm of 1-10 that gradient
    // clipping commonly uses. NaN or inf always is.
    GradientDiagnosticsOptions& exploding_grad_norm(double v) { return exploding_ = v, *this; }
    // ||update|| / ||weight|| outside [min, max] warns: 100x either side of the ~1e-3 rule of
    // thumb (CS231n, "Neural Networks Part 3", ratio of weights:updates; docs/diagnostics.md).
    GradientDiagnosticsOptions& min_update_ratio(double v) { return min_ratio_ = v, *this; }
    GradientDiagnosticsOptions& max_update_ratio(double v) { return max_ratio_ = v, *this; }
    // A ReLU whose dead fraction exceeds this warns (in [0, 1]; 1: never).
    GradientDiagnosticsOptions& max_dead_fraction(double v) { return max_dead_ = v, *this; }

    double vanishing_grad_norm() const { return vanishing_; }
    double exploding_grad_norm() const { return exploding_; }
    double min_update_ratio() const { return min_ratio_; }
    double max_update_ratio() const { return max_ratio_; }
    double max_dead_fraction() const { return max_dead_; }

private:
    double vanishing_ = 1e-7, exploding_ = 1e3;
    double min_ratio_ = 1e-5, max_ratio_ = 1e-1;
    double max_dead_ = 0.5;
};

// One parameter after a step. update_ratio = ||w_after - w_before|| / ||w_before||, NaN when
// ||w_before|| is 0 (undefined); grad_norm is 0 for a parameter the backward did not reach.
struct ParameterDiagnostics {
    std::string name;  // as named_parameters(): "1.weight"
    double grad_norm = 0, weight_norm = 0, update_ratio = 0;
};

// One ReLU module over the training forwards since the last report. A unit is a feature of a 2-D
// (N, F) output, a channel of an (N, C, ...) one, an element of a 1-D one; it is dead when its
// output was 0 for every sample (and position) of every such forward.
struct ReLUDiagnostics {
    std::string name;  // as named_modules(): "2"
    int64_t units = 0, dead = 0;
    double dead_fraction = 0;  // dead / units; 0 before any training forward
};

// A figure outside its bound. kind: "vanishing", "exploding" (gradient norm), "update_ratio_low",
// "update_ratio_high", "dead_relu"; message: one line naming the tensor, the figure and the bound.
struct DiagnosticsWarning {
    std::string name, kind, message;
};

struct GradientReport {
    std::vector<ParameterDiagnostics> parameters;  // named_parameters() order
    std::vector<ReLUDiagnostics> relus;            // named_modules() order
    std::vector<DiagnosticsWarning> warnings;      // in the order above
};

// Usage, around one optimizer step (any step; the examples take every 100th):
//   train::GradientDiagnostics diag(model);        // hooks every nn::ReLU
//   loss.backward();
//   diag.before_step();                            // gradient norms, a copy of the weights
//   optimizer.step();
//   diag.after_step();                             // update norms
//   train::GradientReport r = diag.report();       // and a new window for dead units
class GradientDiagnostics {
public:
    // The model's parameters that require grad (ValueError if none) and its nn::ReLU modules
    // (forward hooks, removed by the destructor). The model must outlive this object.
    explicit GradientDiagnostics(nn::Module& model, GradientDiagnosticsOptions options = {});
    ~GradientDiagnostics();
    GradientDiagnostics(const GradientDiagnostics&) = delete;
    GradientDiagnostics& operator=(const GradientDiagnostics&) = delete;

    // After backward, before optimizer.step(). StateError when no parameter has a gradient.
    void before_step();
    // After optimizer.step(). StateError without a before_step() since the last report().
    void after_step();
    // The figures of the last step and the ReLUs' window, which then starts again. StateError
    // unless before_step() and after_step() were called since the last report().
    GradientReport report();

    const GradientDiagnosticsOptions& options() const { return options_; }

    struct ReLUWindow;  // per ReLU: which units fired (gradient_diagnostics.cpp)

private:
    GradientDiagnosticsOptions options_;
    NamedTensors params_;
    std::vector<double> grad_norms_, weight_norms_, update_norms_;
    std::vector<std::vector<float>> before_;  // the weights before the step, until after_step
    enum class Stage { idle, before, after } stage_ = Stage::idle;
    std::vector<std::shared_ptr<ReLUWindow>> relus_;  // shared with the hooks
    std::vector<RemovableHandle> handles_;
};

}  // namespace descent::train
