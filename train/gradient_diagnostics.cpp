// GradientDiagnostics: norms in double over the tensors' floats, a float copy of the weights kept
// only between before_step() and after_step(), and one forward hook per ReLU that ORs "this unit
// was non-zero" into a window the next report() reads and clears.
#include "descent/train/gradient_diagnostics.hpp"

#include <cmath>
#include <cstdio>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/error.hpp"
#include "descent/nn/activation.hpp"

namespace descent::train {

struct GradientDiagnostics::ReLUWindow {
    std::string name;
    std::vector<bool> fired;  // per unit; empty before the first training forward
};

namespace {

double norm(const float* v, int64_t n) {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(v[i]) * v[i];
    return std::sqrt(sum);
}

// Only training forwards count: evaluation in eval() mode or under NoGradGuard is not training.
void observe(GradientDiagnostics::ReLUWindow& w, const nn::Module& m, const Tensor& out) {
    if (!m.is_training() || !autograd::GradMode::is_enabled() || out.dim() == 0) return;
    const Shape& s = out.shape();
    const int64_t units = s.ndim() >= 2 ? s[1] : s[0];
    const int64_t batch = s.ndim() >= 2 ? s[0] : 1;
    const int64_t inner = units == 0 ? 0 : out.numel() / (batch * units);
    if (static_cast<int64_t>(w.fired.size()) != units) w.fired.assign(units, false);  // new shape
    const Tensor dense_out = descent::detail::dense(out);
    const float* v = dense_out.data();
    for (int64_t n = 0; n < batch; ++n)
        for (int64_t u = 0; u < units; ++u) {
            if (w.fired[u]) continue;
            const float* p = v + (n * units + u) * inner;
            for (int64_t i = 0; i < inner; ++i)
                if (p[i] != 0.0f) {  // NaN counts as alive: it is not a dead unit's 0
                    w.fired[u] = true;
                    break;
                }
        }
}

void check_option(const char* name, double v, double low, double high) {
    DESCENT_CHECK(std::isfinite(v) && v >= low && v <= high, ValueError,
                  "GradientDiagnostics(): ", name, " must be a finite number in [", low, ", ", high,
                  "], got ", v);
}

// name goes in whole, whatever its length; fmt formats the two figures.
DiagnosticsWarning warning(const char* kind, const char* fmt, const std::string& name, double a,
                           double b) {
    char buf[160];
    std::snprintf(buf, sizeof buf, fmt, a, b);
    return {name, kind, name + ": " + buf};
}

}  // namespace

GradientDiagnostics::GradientDiagnostics(nn::Module& model, GradientDiagnosticsOptions options)
    : options_(options) {
    const double inf = HUGE_VAL;
    check_option("vanishing_grad_norm", options.vanishing_grad_norm(), 0, inf);
    check_option("exploding_grad_norm", options.exploding_grad_norm(), 0, inf);
    check_option("min_update_ratio", options.min_update_ratio(), 0, inf);
    check_option("max_update_ratio", options.max_update_ratio(), 0, inf);
    check_option("max_dead_fraction", options.max_dead_fraction(), 0, 1);
    DESCENT_CHECK(options.vanishing_grad_norm() < options.exploding_grad_norm(), ValueError,
                  "GradientDiagnostics(): vanishing_grad_norm ", options.vanishing_grad_norm(),
                  " must be below exploding_grad_norm ", options.exploding_grad_norm());
    DESCENT_CHECK(options.min_update_ratio() < options.max_update_ratio(), ValueError,
                  "GradientDiagnostics(): min_update_ratio ", options.min_update_ratio(),
                  " must be below max_update_ratio ", options.max_update_ratio());
    for (auto& [name, p] : model.named_parameters())
        if (p.requires_grad()) params_.emplace_back(name, p);
    DESCENT_CHECK(!params_.empty(), ValueError, "GradientDiagnostics(): the ", model.type_name(),
                  " has no parameters that require grad, so no gradient to diagnose");
    for (const auto& [name, m] : model.named_modules()) {
        if (!dynamic_cast<const nn::ReLU*>(m.get())) continue;
        auto window = std::make_shared<ReLUWindow>(ReLUWindow{name, {}});
        relus_.push_back(window);
        // The hook holds the window, not this object: it stays safe if the model outlives us.
        handles_.push_back(
            m->register_forward_hook([window](nn::Module& mod, const Tensor&, const Tensor& out) {
                observe(*window, mod, out);
            }));
    }
}

GradientDiagnostics::~GradientDiagnostics() {
    for (RemovableHandle& h : handles_) h.remove();
}

void GradientDiagnostics::before_step() {
    bool any = false;
    for (const auto& [name, p] : params_) any = any || p.grad().defined();
    DESCENT_CHECK(any, StateError, "GradientDiagnostics::before_step(): none of the ",
                  params_.size(), " parameters (", params_.front().first,
                  ", ...) has a gradient; call it after loss.backward(), before step()");
    grad_norms_.clear();
    weight_norms_.clear();
    before_.clear();
    for (const auto& [name, p] : params_) {
        const Tensor& g = p.grad();
        grad_norms_.push_back(g.defined() ? norm(descent::detail::dense(g).data(), g.numel())
                                          : 0.0);
        weight_norms_.push_back(norm(p.data(), p.numel()));
        before_.emplace_back(p.data(), p.data() + p.numel());
    }
    stage_ = Stage::before;
}

void GradientDiagnostics::after_step() {
    DESCENT_CHECK(stage_ == Stage::before, StateError,
                  "GradientDiagnostics::after_step(): no before_step() since the last ",
                  stage_ == Stage::after ? "after_step()" : "report()",
                  "; call before_step() after backward, before step()");
    update_norms_.clear();
    for (size_t k = 0; k < params_.size(); ++k) {
        const Tensor& p = params_[k].second;
        DESCENT_CHECK(p.numel() == static_cast<int64_t>(before_[k].size()), StateError,
                      "GradientDiagnostics::after_step(): ", params_[k].first, " has ", p.numel(),
                      " elements, ", before_[k].size(), " at before_step()");
        double sum = 0;
        for (int64_t i = 0; i < p.numel(); ++i) {
            const double d = static_cast<double>(p.data()[i]) - before_[k][i];
            sum += d * d;
        }
        update_norms_.push_back(std::sqrt(sum));
    }
    before_.clear();  // the copy lives for one step only
    stage_ = Stage::after;
}

GradientReport GradientDiagnostics::report() {
    DESCENT_CHECK(stage_ == Stage::after, StateError, "GradientDiagnostics::report(): ",
                  stage_ == Stage::idle ? "no before_step() and after_step()"
                                        : "before_step() but no after_step()",
                  " since the last report(); call them around optimizer.step()");
    const GradientDiagnosticsOptions& o = options_;
    GradientReport r;
    for (size_t k = 0; k < params_.size(); ++k) {
        ParameterDiagnostics d{params_[k].first, grad_norms_[k], weight_norms_[k], 0.0};
        d.update_ratio = d.weight_norm > 0 ? update_norms_[k] / d.weight_norm : std::nan("");
        const std::string& n = d.name;
        if (!std::isfinite(d.grad_norm) || d.grad_norm > o.exploding_grad_norm())
            r.warnings.push_back(warning("exploding", "gradient norm %.3g is above %g (exploding)",
                                         n, d.grad_norm, o.exploding_grad_norm()));
        else if (d.grad_norm < o.vanishing_grad_norm())
            r.warnings.push_back(warning("vanishing", "gradient norm %.3g is below %g (vanishing)",
                                         n, d.grad_norm, o.vanishing_grad_norm()));
        if (d.update_ratio > o.max_update_ratio())
            r.warnings.push_back(
                warning("update_ratio_high",
                        "update/weight ratio %.3g is above %g (rule of thumb ~1e-3: lr too high?)",
                        n, d.update_ratio, o.max_update_ratio()));
        else if (d.update_ratio < o.min_update_ratio())
            r.warnings.push_back(
                warning("update_ratio_low",
                        "update/weight ratio %.3g is below %g (rule of thumb ~1e-3: lr too low?)",
                        n, d.update_ratio, o.min_update_ratio()));
        r.parameters.push_back(std::move(d));
    }
    for (const auto& w : relus_) {
        ReLUDiagnostics d{w->name, static_cast<int64_t>(w->fired.size()), 0, 0.0};
        for (bool f : w->fired) d.dead += f ? 0 : 1;
        if (d.units > 0) d.dead_fraction = static_cast<double>(d.dead) / d.units;
        if (d.dead_fraction > o.max_dead_fraction())
            r.warnings.push_back(warning("dead_relu", "ReLU dead fraction %.3g is above %g", d.name,
                                         d.dead_fraction, o.max_dead_fraction()));
        r.relus.push_back(std::move(d));
        w->fired.clear();  // the next window: no units until a training forward
    }
    stage_ = Stage::idle;
    return r;
}

}  // namespace descent::train
