// Saving and loading a module's parameters and buffers: its state_dict() as a NumPy .npz file
// (docs/state-dict-format.md), written atomically. Loading checks every name and shape.
#pragma once

#include <string>

#include "descent/nn/module.hpp"

namespace descent::nn {

// torch::save(model, path): every parameter and buffer under its dotted name ("fc1.weight").
void save(const Module& module, const std::string& path);

// torch::load(model, path): values copied into the module's existing tensors. A missing or extra
// key, or a wrong shape, throws naming the key (and both shapes) and leaves the module unchanged.
void load(Module& module, const std::string& path, bool strict = true);

}  // namespace descent::nn
