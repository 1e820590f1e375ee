// Layers that only pass data along: Flatten (merges a range of dims, e.g. images to vectors before
// a Linear) and Identity (a placeholder, e.g. to switch a layer off without changing the names).
#pragma once

#include <cstdint>

#include "descent/nn/module.hpp"

namespace descent::nn {

class Flatten : public Module {
public:
    // Dims start_dim..end_dim (negative counts from the end) become one. ValueError if both have
    // the same sign and start_dim > end_dim; the dims are checked against the input when called.
    explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1);
    Tensor forward(const Tensor& x) override;  // a view: shares x's storage
    void pretty_print(std::ostream& os) const override;
    int64_t start_dim, end_dim;
};

class Identity : public Module {
public:
    Identity() : Module("Identity") {}
    Tensor forward(const Tensor& x) override { return x; }
};

}  // namespace descent::nn
