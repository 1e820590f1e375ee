// OptimizerOptions: the hyper-parameters of one parameter group, as libtorch spells them
// (SGDOptions(0.1).momentum(0.9)). The base class is what optimizers and schedulers see: the
// learning rate, a copy, a check, and the fields by name that state_dict saves.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
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
struct OptionChoice {
    const char* name;
    std::optional<std::string>* value;  // none, or one of `allowed`
    std::vector<std::string> allowed;
};
struct OptionFields {
    std::vector<std::pair<const char*, double*>> numbers;
    std::vector<std::pair<const char*, bool*>> flags;
    std::vector<std::pair<const char*, int64_t*>> counts;  // integers (LBFGS's max_iter)
    std::vector<OptionChoice> choices;  // a name from a list, or none (LBFGS's line_search_fn)
};

// What a numeric hyper-parameter must be; the words are those of its error message.
enum class Require {
    finite,  // "must be finite"
    nonneg,  // "must be finite and >= 0"
    unit,    // "must be in [0, 1)"
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

protected:
    // A rule across options (SGD: Nesterov needs momentum), checked after each option's own.
    virtual void check_more(const std::string& /*optimizer*/) const {}
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
// check_option for a Require.
void check_option(Require require, const std::string& optimizer, const char* option, double value);
}  // namespace detail

using pair_option = std::tuple<double, double>;  // e.g. Adam's betas (β1, β2)

// An options struct's hyper-parameters, each declared once in a list LIST(NUMBER, FLAG, PAIR) of
//   NUMBER(name, default, requirement)               a double:  NUMBER(momentum, 0, nonneg)
//   FLAG(name, default)                              a bool:    FLAG(nesterov, false)
//   PAIR(name, first, second, d1, d2, requirement)   a pair_option saved as two fields
// DESCENT_OPTIONS(LIST) expands, inside the struct, to lr and every listed option with its setter
// and getter, get_lr/set_lr, check() (lr, then each option against its requirement, then
// check_more()) and fields() (every option by name, in list order). The struct's constructor sets
// lr_. Example: optim/sgd.hpp.
#define DESCENT_OPTIONS(LIST)                                                                      \
    DESCENT_OPTION(double, lr);                                                                    \
    LIST(DESCENT_OPTION_NUMBER_MEMBER, DESCENT_OPTION_FLAG_MEMBER, DESCENT_OPTION_PAIR_MEMBER)     \
                                                                                                   \
public:                                                                                            \
    double get_lr() const override { return lr_; }                                                 \
    void set_lr(double lr) override { lr_ = lr; }                                                  \
    void check(const std::string& optimizer) const override {                                      \
        ::descent::optim::detail::check_option(::descent::optim::Require::nonneg, optimizer, "lr", \
                                               lr_);                                               \
        LIST(DESCENT_OPTION_NUMBER_CHECK, DESCENT_OPTION_FLAG_NONE, DESCENT_OPTION_PAIR_CHECK)     \
        check_more(optimizer);                                                                     \
    }                                                                                              \
    ::descent::optim::OptionFields fields() override {                                             \
        ::descent::optim::OptionFields f;                                                          \
        f.numbers.emplace_back("lr", &lr_);                                                        \
        LIST(DESCENT_OPTION_NUMBER_FIELD, DESCENT_OPTION_FLAG_FIELD, DESCENT_OPTION_PAIR_FIELD)    \
        return f;                                                                                  \
    }

// The pieces DESCENT_OPTIONS applies to each entry of a list.
#define DESCENT_OPTION_NUMBER_MEMBER(name, def, req) DESCENT_OPTION(double, name) = def;
#define DESCENT_OPTION_FLAG_MEMBER(name, def) DESCENT_OPTION(bool, name) = def;
#define DESCENT_OPTION_PAIR_MEMBER(name, first, second, d1, d2, req) \
    DESCENT_OPTION(::descent::optim::pair_option, name) = std::make_tuple(d1, d2);
#define DESCENT_OPTION_NUMBER_CHECK(name, def, req)                                          \
    ::descent::optim::detail::check_option(::descent::optim::Require::req, optimizer, #name, \
                                           name##_);
#define DESCENT_OPTION_FLAG_NONE(name, def)
#define DESCENT_OPTION_PAIR_CHECK(name, first, second, d1, d2, req)                            \
    ::descent::optim::detail::check_option(::descent::optim::Require::req, optimizer, #first,  \
                                           std::get<0>(name##_));                              \
    ::descent::optim::detail::check_option(::descent::optim::Require::req, optimizer, #second, \
                                           std::get<1>(name##_));
#define DESCENT_OPTION_NUMBER_FIELD(name, def, req) f.numbers.emplace_back(#name, &name##_);
#define DESCENT_OPTION_FLAG_FIELD(name, def) f.flags.emplace_back(#name, &name##_);
#define DESCENT_OPTION_PAIR_FIELD(name, first, second, d1, d2, req) \
    f.numbers.emplace_back(#first, &std::get<0>(name##_));          \
    f.numbers.emplace_back(#second, &std::get<1>(name##_));

}  // namespace descent::optim
