// Layers that only pass data along: Flatten (merges a range of dims, e.g. images to vectors before
// a Linear), Unflatten (its inverse: splits one dim) and Identity (a placeholder, e.g. to switch a
// layer off without changing the names).
#pragma once

#include <cstdint>
#include <vector>

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

class Unflatten : public Module {
public:
    // Dim `dim` (negative counts from the end) becomes `sizes`, of which one may be -1 (inferred).
    // ValueError if sizes is empty, holds a size < -1 or more than one -1; when called,
    // ShapeError unless their product matches the input's size at dim.
    Unflatten(int64_t dim, std::vector<int64_t> sizes);
    Tensor forward(const Tensor& x) override;  // a view when x is contiguous
    void pretty_print(std::ostream& os) const override;
    int64_t dim;
    std::vector<int64_t> sizes;
};

class Identity : public Module {
public:
    Identity() : Module("Identity") {}
    Tensor forward(const Tensor& x) override { return x; }
};

}  // namespace descent::nn
