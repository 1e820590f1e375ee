// The state-dict number encodings and the reader's bookkeeping. The triple holds a double
// exactly because each float takes the next 24 of its 53 significant bits.
#include "descent/optim/state_codec.hpp"

#include <cmath>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::optim::detail {

namespace {
void write_triple(double x, const std::string& key, float* out) {
    DESCENT_CHECK(!std::isnan(x), ValueError, "state_dict(): ", key, " is NaN");
    const float hi = static_cast<float>(x);
    const float mid = std::isinf(x) ? 0.0f : static_cast<float>(x - hi);
    const float lo = std::isinf(x) ? 0.0f : static_cast<float>(x - hi - mid);
    DESCENT_CHECK(std::isinf(x) || double(hi) + double(mid) + double(lo) == x, ValueError,
                  "state_dict(): ", key, " = ", x,
                  " cannot be stored exactly as float32 (|value| below ~1e-24 or above ~1e38)");
    out[0] = hi, out[1] = mid, out[2] = lo;
}
}  // namespace

Tensor encode_double(double x, const std::string& key) {
    Tensor t = empty({3});
    write_triple(x, key, t.data());
    return t;
}

Tensor encode_doubles(const std::vector<double>& xs, const std::string& key) {
    Tensor t = empty({static_cast<int64_t>(xs.size()), 3});
    for (size_t i = 0; i < xs.size(); ++i)
        write_triple(xs[i], descent::detail::cat(key, "[", i, "]"), t.data() + 3 * i);
    return t;
}

double decode_double(const float* hml) {
    if (std::isinf(hml[0]) && hml[1] == 0 && hml[2] == 0) return hml[0];
    return double(hml[0]) + double(hml[1]) + double(hml[2]);
}

Tensor encode_count(int64_t n, const std::string& key) {
    DESCENT_CHECK(n >= -max_exact_count && n <= max_exact_count, ValueError, "state_dict(): ", key,
                  " = ", n, " exceeds 2^24, which float32 holds exactly");
    return scalar_tensor(static_cast<float>(n));
}

StateDictReader::StateDictReader(std::string who, const NamedTensors& dict) : who_(std::move(who)) {
    for (const auto& [key, t] : dict) entries_[key] = t;
}

const Tensor* StateDictReader::take(const std::string& key, const Shape& shape) {
    const Tensor* t = take_vector(key);
    if (t && t->shape() != shape) {
        problems_.push_back(
            descent::detail::cat(key, " has shape ", t->shape(), ", expected ", shape));
        return nullptr;
    }
    return t;
}

const Tensor* StateDictReader::take_vector(const std::string& key) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        missing_.push_back(key);
        return nullptr;
    }
    used_.insert(key);
    if (!it->second.defined()) {
        problems_.push_back(key + " is undefined");
        return nullptr;
    }
    return &it->second;
}

std::optional<double> StateDictReader::number(const std::string& key) {
    std::optional<std::vector<double>> one = numbers(key, -1);
    if (!one) return std::nullopt;
    return one->front();
}

std::optional<std::vector<double>> StateDictReader::numbers(const std::string& key,
                                                            int64_t groups) {
    // groups < 0: a single triple, shape (3)
    const Tensor* t = take(key, groups < 0 ? Shape{3} : Shape{groups, 3});
    if (!t) return std::nullopt;
    std::vector<double> values;
    for (int64_t i = 0; i < t->numel() / 3; ++i) {
        const double v = decode_double(t->data() + 3 * i);
        if (std::isnan(v)) {
            problems_.push_back(groups < 0 ? key + " is NaN"
                                           : descent::detail::cat(key, "[", i, "] is NaN"));
            return std::nullopt;
        }
        values.push_back(v);
    }
    return values;
}

std::optional<int64_t> StateDictReader::count(const std::string& key, int64_t low, int64_t high) {
    const Tensor* t = take(key, {});
    if (!t) return std::nullopt;
    const float v = t->item();
    if (!(v == std::floor(v) && v >= static_cast<float>(low) && v <= static_cast<float>(high))) {
        problems_.push_back(
            descent::detail::cat(key, " is ", v, ", not an integer in [", low, ", ", high, "]"));
        return std::nullopt;
    }
    return static_cast<int64_t>(v);
}

bool StateDictReader::has_prefix(const std::string& prefix) const {
    auto first = entries_.lower_bound(prefix);
    return first != entries_.end() && first->first.compare(0, prefix.size(), prefix) == 0;
}

void StateDictReader::finish() const {
    std::vector<std::string> unexpected;
    for (const auto& [key, t] : entries_)
        if (!used_.count(key)) unexpected.push_back(key);
    if (missing_.empty() && unexpected.empty() && problems_.empty()) return;
    std::string message = who_ + ":";
    auto list = [&](const char* what, const std::vector<std::string>& keys) {
        if (keys.empty()) return;
        message += std::string(" ") + what;
        for (size_t k = 0; k < keys.size(); ++k) message += (k ? ", " : " ") + keys[k];
        message += ";";
    };
    list("missing keys:", missing_);
    list("unexpected keys:", unexpected);
    list("wrong values:", problems_);
    message.pop_back();
    throw StateError(message);
}

}  // namespace descent::optim::detail
