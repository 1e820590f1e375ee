// Sequential: a chain of modules, each fed the previous one's output.
//   nn::Sequential net(nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 10));
// Modules are taken by value (moved in) or as shared_ptr (shared with the caller); children are
// named "0", "1", ... unless push_back is given a name.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "descent/nn/module.hpp"

namespace descent::nn {

class Sequential : public Module {
public:
    Sequential() : Module("Sequential") {}
    template <class First, class... Rest,
              class = std::enable_if_t<!std::is_same_v<std::decay_t<First>, Sequential> ||
                                       sizeof...(Rest) != 0>>
    explicit Sequential(First&& first, Rest&&... rest) : Module("Sequential") {
        push_back(std::forward<First>(first));
        (push_back(std::forward<Rest>(rest)), ...);
    }

    template <class M>
    void push_back(M&& module) {
        push_back(std::to_string(size()), std::forward<M>(module));
    }
    template <class M>
    void push_back(std::string name, std::shared_ptr<M> module) {
        register_module(std::move(name), std::move(module));
    }
    template <class M, class = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>>>>
    void push_back(std::string name, M&& module) {
        static_assert(!std::is_lvalue_reference_v<M>,
                      "Sequential::push_back(): pass a module by value with std::move, or as a "
                      "shared_ptr (a copy would share its parameters)");
        register_module(std::move(name), std::make_shared<std::decay_t<M>>(std::move(module)));
    }

    size_t size() const { return named_children().size(); }
    bool empty() const { return size() == 0; }
    // The i-th module; IndexError if i >= size().
    std::shared_ptr<Module> operator[](size_t i) const;

    // Runs each module through operator() in order; an empty Sequential returns x.
    Tensor forward(const Tensor& x) override;
};

}  // namespace descent::nn
