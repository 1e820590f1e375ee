// Printing tensors: `std::cout << t` shows the values (abbreviated with ... past 1000 elements,
// keeping 3 at each edge, as PyTorch), the shape, and whether the tensor requires grad.
#pragma once

#include <iosfwd>

#include "descent/core/tensor.hpp"

namespace descent {

std::ostream& operator<<(std::ostream& os, const Tensor& t);

}  // namespace descent
