// How optimizers and schedulers keep numbers in a float32 state dict, and read one back: a double
// as three floats whose double sum is exactly it, a count as one float (exact up to 2^24), and a
// reader that checks every key and reports all that is missing, unexpected or wrong in one error.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "descent/core/named_tensors.hpp"

namespace descent::optim::detail {

// Floats hold every integer up to 2^24 exactly.
constexpr int64_t max_exact_count = int64_t(1) << 24;

// x as (hi, mid, lo), shape (3): hi + mid + lo == x in double, hi alone is x to float precision;
// ±inf is (±inf, 0, 0). ValueError naming `key` for NaN or a value that does not survive it
// (|x| below ~1e-24 or above ~1e38).
Tensor encode_double(double x, const std::string& key);
// Several doubles, one (hi, mid, lo) row each: shape (n, 3).
Tensor encode_doubles(const std::vector<double>& xs, const std::string& key);
// The double of a (hi, mid, lo) triple.
double decode_double(const float* hml);
// n as a 0-d float; ValueError naming `key` if |n| > 2^24.
Tensor encode_count(int64_t n, const std::string& key);

// Takes the keys of a state dict one by one, each with its expected shape, and collects what is
// wrong; finish() then throws one StateError "<who>: missing keys: a, b; unexpected keys: c; wrong
// values: d has shape (2), expected (3)" (as Optimizer::load_state_dict reports). Nothing is
// thrown before finish(), so every problem is named at once.
class StateDictReader {
public:
    StateDictReader(std::string who, const NamedTensors& dict);

    // The tensor at `key` if it is there, defined and of `shape`; otherwise records why, nullptr.
    const Tensor* take(const std::string& key, const Shape& shape);
    // A 1-d tensor of any length at `key` (MultiStepLR's milestones).
    const Tensor* take_vector(const std::string& key);
    // A (hi, mid, lo) double at `key`, not NaN.
    std::optional<double> number(const std::string& key);
    // `groups` doubles at `key`, shape (groups, 3), none NaN.
    std::optional<std::vector<double>> numbers(const std::string& key, int64_t groups);
    // A 0-d integer at `key` in [low, high].
    std::optional<int64_t> count(const std::string& key, int64_t low = 0,
                                 int64_t high = max_exact_count);
    // Whether any key starts with `prefix` (taken or not).
    bool has_prefix(const std::string& prefix) const;
    // Records a problem found by the caller ("state.0.step is 1.5, not a count").
    void problem(std::string what) { problems_.push_back(std::move(what)); }
    // Throws the StateError if any key was missing, left over or wrong; returns otherwise.
    void finish() const;

private:
    std::string who_;
    std::map<std::string, Tensor> entries_;
    std::set<std::string> used_;
    std::vector<std::string> missing_, problems_;
};

}  // namespace descent::optim::detail
