// NamedTensors: an ordered list of (name, tensor) pairs. It is what Module::state_dict() and
// Optimizer::state_dict() return and what the .npz reader and writer take, so a model, its optimizer
// and a checkpoint file all speak one type. Order is insertion order, as PyTorch's OrderedDict.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

}  // namespace descent
