// Optimizer: the base every optimizer derives from. It holds parameter groups (each with its own
// options), the per-parameter state, zero_grad(), the step() loop that hands each parameter with a
// gradient to the derived class's fused update, and state_dict() / load_state_dict() for exact
// resumption. The layout of the state dict is in docs/optim.md.
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

// One parameter's state. Each optimizer uses some of these buffers (each shaped like the
// parameter) and leaves the others undefined; `step` counts the updates the parameter received.
struct ParamState {
    int64_t step = 0;
    Tensor momentum_buffer;  // SGD, RMSprop with momentum
    Tensor exp_avg;          // Adam, AdamW: first moment
    Tensor exp_avg_sq;       // Adam, AdamW: second moment
    Tensor max_exp_avg_sq;   // Adam, AdamW with amsgrad
    Tensor square_avg;       // RMSprop
    Tensor grad_avg;         // RMSprop centered
    Tensor sum;              // Adagrad
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
    const ParamState* state(int64_t index) const;

    // Hyper-parameters of every group and every state tensor, copied; see docs/optim.md.
    NamedTensors state_dict() const;
    // Replaces options and state with those of `dict`, which must come from an optimizer of the
    // same kind over parameters of the same shapes and grouping. All or nothing: on a missing or
    // unexpected key or a wrong shape nothing changes and StateError lists every problem.
    void load_state_dict(const NamedTensors& dict);

    virtual const char* name() const = 0;  // "SGD", "Adam", ...

    // The scheduler that drives this optimizer's lr, or nullptr: one at a time
    // (optim/scheduler/lr_scheduler.hpp); schedulers set it.
    const char* scheduler() const { return scheduler_; }
    void set_scheduler(const char* scheduler) { scheduler_ = scheduler; }

protected:
    explicit Optimizer(std::unique_ptr<OptimizerOptions> defaults)
        : defaults_(std::move(defaults)) {}
    // Checks the defaults, then adds each group. Called by the derived constructor, since the
    // checks need the derived class (name(), accepts()).
    void add_param_groups(std::vector<OptimizerParamGroup> groups);

    // True if `options` is this optimizer's options type.
    virtual bool accepts(const OptimizerOptions& options) const = 0;
    // Allocates the buffers a new state needs for these options (zeros or the initial value).
    virtual void init_state(ParamState& state, const Tensor& param,
                            const OptimizerOptions& options) const = 0;
    // One fused update of `param` from its gradient and state; state.step is already advanced.
    virtual void update(Tensor& param, const Tensor& grad, ParamState& state,
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
    std::vector<OptimizerParamGroup> groups_;
    std::unique_ptr<OptimizerOptions> defaults_;
    // state_[g][i]: state of groups_[g].params()[i], null until its first update.
    std::vector<std::vector<std::unique_ptr<ParamState>>> state_;
    const char* scheduler_ = nullptr;
};

}  // namespace descent::optim

namespace descent::optim::detail {

// What every optimizer shares, so that one is its Options struct plus its update: the two
// constructors (a parameter list or groups, with the defaults), name(), the options-type check
// and the typed hooks. Derived provides
//   static constexpr const char* type_name = "SGD";
//   void init(ParamState&, const Tensor& param, const Options&) const;    // buffers it needs
//   void apply(Tensor& param, const Tensor& grad, ParamState&, const Options&);  // one update
// and inherits the constructors (`using OptimizerBase::OptimizerBase;`).
template <class Derived, class Options>
class OptimizerBase : public Optimizer {
public:
    OptimizerBase(std::vector<Tensor> params, const Options& defaults = Options())
        : OptimizerBase(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
                        defaults) {}
    // name() and accepts() used by add_param_groups resolve here, not in the unfinished Derived.
    OptimizerBase(std::vector<OptimizerParamGroup> groups, const Options& defaults = Options())
        : Optimizer(std::make_unique<Options>(defaults)) {
        add_param_groups(std::move(groups));
    }
    const char* name() const override { return Derived::type_name; }

protected:
    bool accepts(const OptimizerOptions& options) const override {
        return dynamic_cast<const Options*>(&options) != nullptr;
    }
    void init_state(ParamState& state, const Tensor& param,
                    const OptimizerOptions& options) const override {
        static_cast<const Derived*>(this)->init(state, param, static_cast<const Options&>(options));
    }
    void update(Tensor& param, const Tensor& grad, ParamState& state,
                const OptimizerOptions& options) override {
        static_cast<Derived*>(this)->apply(param, grad, state,
                                           static_cast<const Options&>(options));
    }
};

}  // namespace descent::optim::detail
