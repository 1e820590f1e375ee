// The tape, made visible: the nodes backward would run from a tensor, in the order it would run
// them, each with its op name and the shapes it saw. The study tools build on this.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "descent/core/named_tensors.hpp"
#include "descent/core/tensor.hpp"

namespace descent::study {

struct TapeEntry {
    std::string op;             // e.g. "MulBackward", or "AccumulateGrad" for a leaf
    std::vector<Shape> inputs;  // shapes of the op's inputs (none for a leaf)
    Shape output;               // shape of the op's output (the leaf's shape for a leaf)
    bool freed = false;         // its saved tensors were released by a backward
    // For a leaf's AccumulateGrad, the leaf it adds into: its name when `names` has it ("w"),
    // otherwise where it is used ("input 1 of #4 AddBackward"); "" for other entries.
    std::string leaf;
};

// Empty for a tensor without grad_fn that is not a leaf requiring grad. `names` labels leaves
// (e.g. model->named_parameters()) in TapeEntry::leaf.
std::vector<TapeEntry> tape(const Tensor& root, const NamedTensors& names = {});

// One line per entry:  "  2  MulBackward          (64, 10), (64, 10) -> (64, 10)", and for a
// leaf's AccumulateGrad "... -> (10)  into fc.bias" (or "into input 1 of #0 AddBackward").
void print_tape(std::ostream& os, const Tensor& root, const NamedTensors& names = {});

}  // namespace descent::study
