// Sequential's indexing and forward.
#include "descent/nn/sequential.hpp"

namespace descent::nn {

std::shared_ptr<Module> Sequential::operator[](size_t i) const {
    DESCENT_CHECK(i < size(), IndexError, "Sequential[]: index ", i,
                  " is out of range for a Sequential of ", size(), " modules");
    return named_children()[i].second;
}

Tensor Sequential::forward(const Tensor& x) {
    Tensor y = x;
    for (const auto& [name, module] : named_children()) y = (*module)(y);
    return y;
}

}  // namespace descent::nn
