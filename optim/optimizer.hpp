// Optimizer: the base every optimizer derives from. It holds parameter groups (each with its own
// options), each parameter's state, zero_grad(), the step() loop that hands each parameter with a
// gradient to the optimizer's update(), and state_dict() / load_state_dict() for exact resumption.
// An optimizer adds its Options, its ParamState and two functions (optim/sgd.hpp is the smallest).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "descent/core/named_tensors.hpp"
#include "descent/core/tensor.hpp"
#include "descent/optim/options.hpp"

namespace descent::optim {

// Some parameters with their own options; a group built without options takes the optimizer's
// defaults when it is added.
class OptimizerParamGroup {
public:
    OptimizerParamGroup(std::vector<Tensor> params) : params_(std::move(params)) {}
    OptimizerParamGroup(std::vector<Tensor> params, std::unique_ptr<OptimizerOptions> options)
        : params_(std::move(params)), options_(std::move(options)) {}
    OptimizerParamGroup(const OptimizerParamGroup& other);
    OptimizerParamGroup& operator=(const OptimizerParamGroup& other);
    OptimizerParamGroup(OptimizerParamGroup&&) = default;
    OptimizerParamGroup& operator=(OptimizerParamGroup&&) = default;

    bool has_options() const { return options_ != nullptr; }
    OptimizerOptions& options();  // StateError if the group has none yet
    const OptimizerOptions& options() const;
    void set_options(std::unique_ptr<OptimizerOptions> options) { options_ = std::move(options); }
    std::vector<Tensor>& params() { return params_; }
    const std::vector<Tensor>& params() const { return params_; }

private:
    std::vector<Tensor> params_;
    std::unique_ptr<OptimizerOptions> options_;
};

// One parameter's state: the updates it received, and the optimizer's buffers (AdamParamState's
// exp_avg, ...), each shaped like the parameter.
struct OptimizerParamState {
    virtual ~OptimizerParamState() = default;
    // The buffers under their state-dict names (torch.optim's), sharing storage with the state;
    // an undefined one (a buffer these options do not use) is neither saved nor loaded.
    virtual NamedTensors buffers() const = 0;

    int64_t step = 0;
};

// Recomputes the loss for step(closure); run with grad mode on.
using LossClosure = std::function<Tensor()>;

namespace detail {
class StateDictReader;  // optim/state_codec.hpp
}

class Optimizer {
public:
    virtual ~Optimizer() = default;
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    // One update of every parameter that has a gradient (others are skipped), under NoGradGuard.
    // With a closure, calls it first (grad mode on) and returns its loss; otherwise returns an
    // undefined tensor. Virtual for LBFGS, whose step re-evaluates the closure many times and
    // updates all parameters as one vector.
    virtual Tensor step(const LossClosure& closure = nullptr);
    // Drops every gradient (set_to_none, PyTorch 2's default) or fills it with zeros.
    void zero_grad(bool set_to_none = true);

    // Appends a group; one without options gets a copy of the defaults. ValueError on invalid
    // options, options of another optimizer, an undefined or non-leaf tensor, or a parameter that
    // is already in a group.
    void add_param_group(OptimizerParamGroup group);
    std::vector<OptimizerParamGroup>& param_groups() { return groups_; }
    const std::vector<OptimizerParamGroup>& param_groups() const { return groups_; }
    const OptimizerOptions& defaults() const { return *defaults_; }
    // Every parameter of every group, in order: index i here is "state.<i>" in state_dict.
    std::vector<Tensor> parameters() const;
    int64_t size() const;  // number of parameters

    // The state of parameter `index` (as in parameters()), or nullptr before its first update.
    // Each optimizer's own state(index) returns its type (Adam: AdamParamState).
    const OptimizerParamState* state(int64_t index) const;

    // Hyper-parameters of every group and every state tensor, copied; see docs/optim.md.
    NamedTensors state_dict() const;
    // Replaces options and state with those of `dict`, which must come from an optimizer of the
    // same kind over parameters of the same shapes and grouping. All or nothing: on a missing or
    // unexpected key or a wrong shape nothing changes and StateError lists every problem.
    void load_state_dict(const NamedTensors& dict);

    const char* name() const { return name_; }  // "SGD", "Adam", ...
    // How many times step() has been called (not saved in state dicts): a scheduler stepped before
    // the optimizer ever was warns, as PyTorch does.
    int64_t step_count() const { return step_count_; }

    // The scheduler that drives this optimizer's lr, or nullptr: one at a time
    // (optim/scheduler/lr_scheduler.hpp); schedulers set it.
    const char* scheduler() const { return scheduler_; }
    void set_scheduler(const char* scheduler) { scheduler_ = scheduler; }

protected:
    // Checks `defaults`, then adds each group (ValueError if there are no parameters at all).
    // `name` is the optimizer's, for messages and state dicts: "Adam".
    Optimizer(const char* name, std::vector<OptimizerParamGroup> groups,
              std::unique_ptr<OptimizerOptions> defaults);

    // A parameter's state before its first update: the buffers `options` need (zeros, or the
    // initial value), as load_state_dict() also needs them. `options` is this optimizer's type.
    virtual std::unique_ptr<OptimizerParamState> make_state(
        const Tensor& param, const OptimizerOptions& options) const = 0;
    // One update of `param` from `grad` and its state, whose step is already advanced. `state`
    // and `options` are this optimizer's types.
    virtual void update(Tensor& param, const Tensor& grad, OptimizerParamState& state,
                        const OptimizerOptions& options) = 0;

    // State of the optimizer as a whole rather than of one parameter (LBFGS's history), for an
    // optimizer that keeps some: state_dict() appends these entries after the per-parameter ones.
    virtual void global_state_dict(NamedTensors& /*dict*/) const {}
    // Takes the entries global_state_dict() wrote from `reader` (which records every problem) and
    // returns what installs them: load_state_dict() runs it only once the whole dict is accepted.
    virtual std::function<void()> read_global_state(detail::StateDictReader& /*reader*/) {
        return nullptr;
    }

private:
    const char* name_;
    std::vector<OptimizerParamGroup> groups_;
    std::unique_ptr<OptimizerOptions> defaults_;
    // state_[g][i]: state of groups_[g].params()[i], null until its first update.
    std::vector<std::vector<std::unique_ptr<OptimizerParamState>>> state_;
    const char* scheduler_ = nullptr;
    int64_t step_count_ = 0;

protected:
    void count_step() { ++step_count_; }  // every step() calls it once
};

}  // namespace descent::optim
