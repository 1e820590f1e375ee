// Saving and loading state fields through the optimizers' number encodings (state_codec).
#include "descent/optim/state_fields.hpp"

#include <cmath>
#include <optional>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/optim/state_codec.hpp"

namespace descent::optim::detail {

using Kind = StateField::Kind;

StateField number_field(const char* key, double& value) {
    return {key,
            Kind::number,
            0,
            0,
            [&value] { return std::vector<double>{value}; },
            [&value](const std::vector<double>& v) { value = v[0]; }};
}

StateField count_field(const char* key, int64_t& value, int64_t min) {
    return {key,
            Kind::count,
            min,
            max_exact_count,
            [&value] { return std::vector<double>{static_cast<double>(value)}; },
            [&value](const std::vector<double>& v) { value = static_cast<int64_t>(v[0]); }};
}

StateField list_field(const char* key, std::vector<int64_t>& values) {
    return {key,
            Kind::list,
            0,
            0,
            [&values] { return std::vector<double>(values.begin(), values.end()); },
            [&values](const std::vector<double>& v) {
                values.assign(v.size(), 0);
                for (size_t i = 0; i < v.size(); ++i) values[i] = static_cast<int64_t>(v[i]);
            }};
}

StateField per_group_field(const char* key, std::vector<double>& values) {
    return {key,
            Kind::per_group,
            0,
            0,
            [&values] { return values; },
            [&values](const std::vector<double>& v) { values = v; }};
}

NamedTensors fields_state_dict(const std::vector<StateField>& fields) {
    NamedTensors dict;
    for (const StateField& f : fields) {
        const std::vector<double> v = f.get();
        switch (f.kind) {
            case Kind::number: dict.emplace_back(f.key, encode_double(v[0], f.key)); break;
            case Kind::count:
                dict.emplace_back(f.key, encode_count(static_cast<int64_t>(v[0]), f.key));
                break;
            case Kind::list: {
                std::vector<float> floats;
                for (size_t i = 0; i < v.size(); ++i)
                    floats.push_back(encode_count(static_cast<int64_t>(v[i]),
                                                  descent::detail::cat(f.key, "[", i, "]"))
                                         .item());
                dict.emplace_back(f.key, tensor(floats, {static_cast<int64_t>(floats.size())}));
                break;
            }
            case Kind::per_group: dict.emplace_back(f.key, encode_doubles(v, f.key)); break;
        }
    }
    return dict;
}

namespace {
// A list's values: integers within ±2^24, or nothing (and the problem recorded).
std::optional<std::vector<double>> read_list(StateDictReader& reader, const std::string& key) {
    const Tensor* t = reader.take_vector(key);
    if (!t) return std::nullopt;
    if (t->dim() != 1) {
        reader.problem(descent::detail::cat(key, " has shape ", t->shape(), ", expected (n)"));
        return std::nullopt;
    }
    std::vector<double> v;
    for (int64_t i = 0; i < t->numel(); ++i) {
        const float x = t->data()[i];
        if (!(x == std::floor(x) && std::fabs(x) <= static_cast<float>(max_exact_count))) {
            reader.problem(descent::detail::cat(key, "[", i, "] is ", x, ", not an integer"));
            return std::nullopt;
        }
        v.push_back(x);
    }
    return v;
}
}  // namespace

void load_fields(const std::string& who, const std::vector<StateField>& fields, int64_t groups,
                 const NamedTensors& dict, const std::function<void()>& check) {
    StateDictReader reader(who, dict);
    std::vector<std::optional<std::vector<double>>> loaded;
    for (const StateField& f : fields) {
        switch (f.kind) {
            case Kind::number:
                if (auto v = reader.number(f.key))
                    loaded.emplace_back(std::vector<double>{*v});
                else
                    loaded.emplace_back();
                break;
            case Kind::count:
                if (auto v = reader.count(f.key, f.min, f.max))
                    loaded.emplace_back(std::vector<double>{static_cast<double>(*v)});
                else
                    loaded.emplace_back();
                break;
            case Kind::list: loaded.push_back(read_list(reader, f.key)); break;
            case Kind::per_group: loaded.push_back(reader.numbers(f.key, groups)); break;
        }
    }
    reader.finish();  // every field was read: each optional holds a value

    std::vector<std::vector<double>> old;
    for (const StateField& f : fields) old.push_back(f.get());
    for (size_t i = 0; i < fields.size(); ++i) fields[i].set(*loaded[i]);
    try {
        check();
    } catch (...) {
        for (size_t i = 0; i < fields.size(); ++i) fields[i].set(old[i]);
        throw;
    }
}

}  // namespace descent::optim::detail
