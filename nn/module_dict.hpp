// ModuleDict: modules held by name, in insertion order, each registered as a child under its key
// (torch.nn.ModuleDict), so state-dict keys read "<key>.weight". No forward: the owner calls them.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "descent/nn/module.hpp"

namespace descent::nn {

class ModuleDict : public Module {
public:
    ModuleDict() : Module("ModuleDict") {}

    // Adds a module under `key`: ValueError if the key is empty, holds '.' or is taken.
    template <class M>
    std::shared_ptr<M> insert(std::string key, std::shared_ptr<M> module) {
        return register_module(std::move(key), std::move(module));
    }
    template <class M, class = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>>>>
    std::shared_ptr<std::decay_t<M>> insert(std::string key, M&& module) {
        static_assert(!std::is_lvalue_reference_v<M>,
                      "ModuleDict::insert(): pass a module by value with std::move, or as a "
                      "shared_ptr (a copy would share its parameters)");
        return insert(std::move(key), std::make_shared<std::decay_t<M>>(std::move(module)));
    }

    size_t size() const { return named_children().size(); }
    bool empty() const { return size() == 0; }
    bool contains(const std::string& key) const;
    // The module under `key`; IndexError naming the key and the keys held if there is none.
    std::shared_ptr<Module> operator[](const std::string& key) const;
    std::vector<std::string> keys() const;  // insertion order
};

}  // namespace descent::nn
