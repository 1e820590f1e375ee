// The tape, made visible: the nodes backward would run from a tensor, in the order it would run
// them, each with its op name and the shapes it saw. The study tools build on this.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::study {

struct TapeEntry {
    std::string op;             // e.g. "MulBackward", or "AccumulateGrad" for a leaf
    std::vector<Shape> inputs;  // shapes of the op's inputs (none for a leaf)
    Shape output;               // shape of the op's output (the leaf's shape for a leaf)
    bool freed = false;         // its saved tensors were released by a backward
};

// Empty for a tensor without grad_fn that is not a leaf requiring grad.
std::vector<TapeEntry> tape(const Tensor& root);

// One line per entry:  "  2  MulBackward          (64, 10), (64, 10) -> (64, 10)".
void print_tape(std::ostream& os, const Tensor& root);

}  // namespace descent::study
