// OptimizerOptions: the hyper-parameters of one parameter group, as libtorch spells them
// (SGDOptions(0.1).momentum(0.9)). The base class is what optimizers and schedulers see: the
// learning rate, a copy, a check, and the fields by name that state_dict saves.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace descent::optim {

// What a numeric hyper-parameter must be; the words are those of its error message.
enum class Require {
    finite,       // "must be finite"
    nonneg,       // "must be finite and >= 0"
    unit,         // "must be in [0, 1)"
    closed_unit,  // "must be in [0, 1]" (Adadelta's rho)
};

// An options object's hyper-parameters by their state-dict names (torch.optim's), pointing into
// it: state_dict() and load_state_dict() read and write every optimizer's options through this,
// and check() tests each against its requirement.
struct OptionFields {
    struct Number {
        const char* name;
        double* value;
        Require require;
    };
    struct Flag {
        const char* name;
        bool* value;
        // Added after state dicts were first written (maximize): a dict without it was saved
        // before the flag existed, when it was always false, so it loads as false.
        bool added_later = false;
    };
    struct Count {  // an integer (LBFGS's max_iter)
        const char* name;
        int64_t* value;
        int64_t min;
    };
    struct Choice {  // none, or one of `allowed` (LBFGS's line_search_fn)
        const char* name;
        std::optional<std::string>* value;
        std::vector<std::string> allowed;
    };
    std::vector<Number> numbers;
    std::vector<Flag> flags;
    std::vector<Count> counts;
    std::vector<Choice> choices;
};

class OptimizerOptions {
public:
    virtual ~OptimizerOptions() = default;
    virtual std::unique_ptr<OptimizerOptions> clone() const = 0;
    virtual double get_lr() const = 0;
    virtual void set_lr(double lr) = 0;
    // Every hyper-parameter, lr first.
    virtual OptionFields fields() = 0;
    // Throws ValueError "<optimizer>(): invalid <option> <value> (<requirement>)" for the first
    // field out of range. An optimizer with a rule across options (SGD: Nesterov needs momentum)
    // overrides it and calls this first.
    virtual void check(const std::string& optimizer) const;
};

// clone() for an options struct Derived, and set(), which makes a chainable setter one line:
// `SGDOptions& momentum(double m) { return set(momentum_, m); }` (libtorch's TORCH_ARG).
template <class Derived>
class OptimizerCloneableOptions : public OptimizerOptions {
public:
    std::unique_ptr<OptimizerOptions> clone() const override {
        return std::make_unique<Derived>(static_cast<const Derived&>(*this));
    }

protected:
    template <class T, class U>
    Derived& set(T& field, U&& value) {
        field = std::forward<U>(value);
        return static_cast<Derived&>(*this);
    }
};

}  // namespace descent::optim
