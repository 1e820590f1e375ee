// LBFGS: limited-memory BFGS over all parameters as one vector, with a fixed step or a strong
// Wolfe line search, as torch.optim.LBFGS. Each step() re-evaluates a closure up to max_eval
// times; the update rules and the state-dict layout are in docs/optim.md.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "descent/optim/optimizer.hpp"

namespace descent::optim {

// libtorch's LBFGSOptions: LBFGSOptions(1).max_iter(20).line_search_fn("strong_wolfe").
struct LBFGSOptions : OptimizerCloneableOptions<LBFGSOptions> {
    LBFGSOptions(double lr = 1) : lr_(lr) {}

    LBFGSOptions& lr(double lr) { return set(lr_, lr); }
    LBFGSOptions& max_iter(int64_t max_iter) { return set(max_iter_, max_iter); }
    LBFGSOptions& max_eval(std::optional<int64_t> max_eval) { return set(max_eval_, max_eval); }
    LBFGSOptions& tolerance_grad(double tolerance) { return set(tolerance_grad_, tolerance); }
    LBFGSOptions& tolerance_change(double tolerance) { return set(tolerance_change_, tolerance); }
    LBFGSOptions& history_size(int64_t history_size) { return set(history_size_, history_size); }
    LBFGSOptions& line_search_fn(std::optional<std::string> fn) { return set(line_search_fn_, fn); }
    double lr() const { return lr_; }
    int64_t max_iter() const { return max_iter_; }
    const std::optional<int64_t>& max_eval() const { return max_eval_; }
    double tolerance_grad() const { return tolerance_grad_; }
    double tolerance_change() const { return tolerance_change_; }
    int64_t history_size() const { return history_size_; }
    const std::optional<std::string>& line_search_fn() const { return line_search_fn_; }

    double get_lr() const override { return lr_; }
    void set_lr(double lr) override { lr_ = lr; }
    // Resolves an unset max_eval first, so that every option has a value to point to.
    OptionFields fields() override;

private:
    double lr_;
    int64_t max_iter_ = 20;  // iterations per step()
    // Closure calls per step() (an iteration may make several); unset: max_iter·5/4, fixed when
    // the optimizer is built.
    std::optional<int64_t> max_eval_;
    double tolerance_grad_ = 1e-7;               // stop when max |g| <= this
    double tolerance_change_ = 1e-9;             // stop when the loss or the step is this small
    int64_t history_size_ = 100;                 // (s, y) pairs kept
    std::optional<std::string> line_search_fn_;  // none or "strong_wolfe"
};

// What LBFGS keeps between steps, under torch's names (torch files it as the state of the first
// parameter). Vectors hold all parameters flattened, in parameters() order.
struct LBFGSState {
    int64_t func_evals = 0;  // closure calls, over all steps
    int64_t n_iter = 0;      // iterations, over all steps; the rest is set from the first one on
    std::vector<float> d;    // the last search direction
    float t = 0;             // the last step length (as float: all that a later step uses)
    // The newest history_size curvature pairs, oldest first: y = g_new - g_old, s = t·d, and
    // ro = 1/(yᵀs). A pair is kept only if yᵀs > 1e-10.
    std::deque<std::vector<float>> old_dirs, old_stps;
    std::deque<float> ro;
    float H_diag = 1;  // yᵀs / yᵀy of the newest pair: the scale of the initial inverse Hessian
    std::vector<float> prev_flat_grad;  // the gradient at the start of the last iteration
    float prev_loss = 0;                // and the loss there
};

class LBFGS : public Optimizer {
public:
    // ValueError for more than one group (as torch.optim.LBFGS) and for invalid options.
    LBFGS(std::vector<Tensor> params, const LBFGSOptions& defaults = LBFGSOptions());
    LBFGS(std::vector<OptimizerParamGroup> groups, const LBFGSOptions& defaults = LBFGSOptions());

    // Up to max_iter L-BFGS iterations, stopping early as torch does (gradient below
    // tolerance_grad, a change below tolerance_change, max_eval closure calls). The closure must
    // zero the gradients, compute the loss, call backward() and return the loss; it runs with grad
    // mode on, the updates under NoGradGuard. Returns the loss of the first call. A parameter
    // without a gradient counts as a zero gradient. ValueError without a closure.
    Tensor step(const LossClosure& closure = nullptr) override;

    // The optimizer-wide state; Optimizer::state(i) is nullptr for every parameter.
    const LBFGSState& global_state() const { return state_; }

protected:
    // LBFGS keeps no per-parameter state and never runs the per-parameter update: its step()
    // replaces the loop that would call these.
    std::unique_ptr<OptimizerParamState> make_state(const Tensor&,
                                                    const OptimizerOptions&) const override;
    void update(Tensor&, const Tensor&, OptimizerParamState&, const OptimizerOptions&) override;
    void global_state_dict(NamedTensors& dict) const override;
    std::function<void()> read_global_state(detail::StateDictReader& reader) override;

private:
    LBFGSState state_;
};

}  // namespace descent::optim
