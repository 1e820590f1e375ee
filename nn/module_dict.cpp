// ModuleDict's lookups.
#include "descent/nn/module_dict.hpp"

namespace descent::nn {

bool ModuleDict::contains(const std::string& key) const {
    for (const auto& [name, m] : named_children())
        if (name == key) return true;
    return false;
}

std::shared_ptr<Module> ModuleDict::operator[](const std::string& key) const {
    for (const auto& [name, m] : named_children())
        if (name == key) return m;
    std::string held;
    for (const auto& [name, m] : named_children())
        held += (held.empty() ? "\"" : ", \"") + name + "\"";
    throw IndexError(::descent::detail::cat("ModuleDict[]: no module under key \"", key,
                                            "\" (keys: ", held.empty() ? "none" : held, ")"));
}

std::vector<std::string> ModuleDict::keys() const {
    std::vector<std::string> out;
    for (const auto& [name, m] : named_children()) out.push_back(name);
    return out;
}

}  // namespace descent::nn
