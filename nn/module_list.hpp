// ModuleList: modules held in a list and registered as children "0", "1", ...
// (torch.nn.ModuleList), so their parameters and state-dict keys ("layers.0.linear1.weight") follow
// the list. Unlike Sequential it has no forward: the owner decides how to call them.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "descent/nn/module.hpp"

namespace descent::nn {

class ModuleList : public Module {
public:
    ModuleList() : Module("ModuleList") {}

    // Appends a module (shared with the caller); it is registered as child std::to_string(size()).
    template <class M>
    std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
        return register_module(std::to_string(size()), std::move(module));
    }
    // Appends a module moved in by value.
    template <class M, class = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>>>>
    std::shared_ptr<std::decay_t<M>> push_back(M&& module) {
        static_assert(!std::is_lvalue_reference_v<M>,
                      "ModuleList::push_back(): pass a module by value with std::move, or as a "
                      "shared_ptr (a copy would share its parameters)");
        return push_back(std::make_shared<std::decay_t<M>>(std::move(module)));
    }

    size_t size() const { return named_children().size(); }
    bool empty() const { return size() == 0; }
    // The i-th module; IndexError naming i and size() if i >= size().
    std::shared_ptr<Module> operator[](size_t i) const;
    // The i-th module as M; IndexError out of range, TypeError if it is not an M.
    template <class M>
    std::shared_ptr<M> at(size_t i) const {
        auto m = std::dynamic_pointer_cast<M>((*this)[i]);
        DESCENT_CHECK(m != nullptr, TypeError, "ModuleList::at(): module ", i, " is a ",
                      (*this)[i]->type_name(), ", not the type asked for");
        return m;
    }
    // The modules in order, for range-for loops.
    std::vector<std::shared_ptr<Module>> modules() const;
};

}  // namespace descent::nn
