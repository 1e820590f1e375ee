// ModuleList's indexing.
#include "descent/nn/module_list.hpp"

namespace descent::nn {

std::shared_ptr<Module> ModuleList::operator[](size_t i) const {
    DESCENT_CHECK(i < size(), IndexError, "ModuleList[]: index ", i,
                  " is out of range for a ModuleList of ", size(), " modules");
    return named_children()[i].second;
}

std::vector<std::shared_ptr<Module>> ModuleList::modules() const {
    std::vector<std::shared_ptr<Module>> out;
    out.reserve(size());
    for (const auto& [name, m] : named_children()) out.push_back(m);
    return out;
}

}  // namespace descent::nn
