// A state dict field by field: each field names a value of an object (its PyTorch attribute name),
// says how it is stored, and reads or writes it. The LR schedulers, ReduceLROnPlateau and
// EarlyStopping describe their state this way and share the code that saves and loads it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "descent/core/named_tensors.hpp"

namespace descent::optim::detail {

struct StateField {
    enum class Kind {
        number,     // a double: (hi, mid, lo), shape (3); ±inf allowed, NaN refused
        count,      // an integer in [min, max]: shape ()
        list,       // integers: shape (n), any n (MultiStepLR's milestones)
        per_group,  // a double per parameter group: shape (groups, 3)
    };
    std::string key;
    Kind kind;
    int64_t min, max;  // of a count
    std::function<std::vector<double>()> get;
    std::function<void(const std::vector<double>&)> set;
};

StateField number_field(const char* key, double& value);
StateField count_field(const char* key, int64_t& value, int64_t min = 0);
StateField list_field(const char* key, std::vector<int64_t>& values);
StateField per_group_field(const char* key, std::vector<double>& values);
// An enum with `n` values, stored as its index: Mode::min is 0, Mode::max 1.
template <class Enum>
StateField choice_field(const char* key, Enum& value, int64_t n) {
    return {key,
            StateField::Kind::count,
            0,
            n - 1,
            [&value] { return std::vector<double>{static_cast<double>(value)}; },
            [&value](const std::vector<double>& v) { value = static_cast<Enum>(v[0]); }};
}

// Every field's current value, in order.
NamedTensors fields_state_dict(const std::vector<StateField>& fields);

// Reads every field from `dict` (groups: the optimizer's group count) and throws one StateError
// naming `who` and every key that is missing, unexpected or of the wrong shape or kind, before
// anything changes. Then sets them and runs `check` on the new values; if it throws, the old
// values are put back before the error propagates. So a refused dict leaves the object as it was.
void load_fields(const std::string& who, const std::vector<StateField>& fields, int64_t groups,
                 const NamedTensors& dict, const std::function<void()>& check);

}  // namespace descent::optim::detail
