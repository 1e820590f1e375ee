// OptimizerOptions: the hyper-parameters of one parameter group, as libtorch spells them
// (SGDOptions(0.1).momentum(0.9)). The base class is what optimizers and schedulers see: the
// learning rate, a copy, a check, and the fields by name that state_dict saves.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace descent::optim {

// A hyper-parameter `name` of type T with a chainable setter and a getter, like libtorch's
// TORCH_ARG: `opts.lr(0.1).momentum(0.9)` sets and returns *this, `opts.lr()` gets.
#define DESCENT_OPTION(T, name)                  \
public:                                          \
    auto name(const T& value)->decltype(*this) { \
        name##_ = value;                         \
        return *this;                            \
    }                                            \
    const T& name() const { return name##_; }    \
                                                 \
private:                                         \
    T name##_

// Pointers to an options object's fields by name: how state_dict and load_state_dict read and
// write every optimizer's hyper-parameters with one piece of code.
struct OptionFields {
    std::vector<std::pair<const char*, double*>> numbers;
    std::vector<std::pair<const char*, bool*>> flags;
};

class OptimizerOptions {
public:
    virtual ~OptimizerOptions() = default;
    virtual std::unique_ptr<OptimizerOptions> clone() const = 0;
    virtual double get_lr() const = 0;
    virtual void set_lr(double lr) = 0;
    // Throws ValueError naming `optimizer`, the option and its value if a value is out of range.
    virtual void check(const std::string& optimizer) const = 0;
    // Every hyper-parameter, lr included, pointing into this object.
    virtual OptionFields fields() = 0;
};

// Implements clone() for an options class Derived (libtorch's OptimizerCloneableOptions).
template <class Derived>
class OptimizerCloneableOptions : public OptimizerOptions {
public:
    std::unique_ptr<OptimizerOptions> clone() const override {
        return std::make_unique<Derived>(static_cast<const Derived&>(*this));
    }
};

namespace detail {
// Throws ValueError "<optimizer>(): invalid <option> <value> (<requirement>)" unless ok.
void check_option(bool ok, const std::string& optimizer, const char* option, double value,
                  const char* requirement);
}  // namespace detail

}  // namespace descent::optim
