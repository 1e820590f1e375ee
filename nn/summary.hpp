// summary(): a table of a model's layers, like Keras' model.summary() or torchinfo. It runs one
// zero input through the model to learn each layer's output shape.
#pragma once

#include <string>

#include "descent/core/shape.hpp"
#include "descent/nn/module.hpp"

namespace descent::nn {

// Runs zeros(input_shape) through m under NoGradGuard, in eval mode (so dropout draws no random
// numbers; each module's training flag is restored afterwards), and lists every submodule in
// registration order: dotted name, type, output shape of its last call ("-" if not called) and
// its parameter count (a container counts its children's), then the total, trainable and
// non-trainable parameter counts of m.
std::string summary(Module& m, const Shape& input_shape);

}  // namespace descent::nn
