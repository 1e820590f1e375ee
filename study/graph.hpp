// The graph as a picture: to_dot() writes the nodes backward would run from a tensor as Graphviz
// DOT (one box per op, one ellipse per leaf, edges in the forward direction), and render() runs
// Graphviz's `dot` to turn it into an SVG or PNG file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "descent/core/named_tensors.hpp"
#include "descent/core/tensor.hpp"

namespace descent::autograd {
class Node;
}

namespace descent::study {

struct GraphOptions {
    // Show the gradients known after a backward: a leaf's grad() and the grad() of outputs that
    // retain_grad() kept (the engine keeps no other). false: the forward graph only.
    bool gradients = true;
    int64_t max_depth = -1;  // leave out nodes more than this many edges from the root; -1: none
    int64_t max_values = 4;  // print values (and gradient values) of tensors this small
    // Leaves to name, e.g. model.named_parameters() ("fc1.weight", drawn as parameters) and the
    // data ("x", drawn as inputs). Other leaves are drawn as "leaf" with their shape only.
    NamedTensors parameters;
    NamedTensors inputs;
    // Module prefixes ("fc1", "0") drawn as one box each: the box holds the parameters named
    // "<prefix>.*" and every op that uses one of them directly (for a Linear, its product and
    // bias add). Needs `parameters`.
    std::vector<std::string> collapse;
};

// DOT text for the graph hanging off `root` (which must require grad).
std::string to_dot(const Tensor& root, const GraphOptions& options = {});

// Writes dot_text rendered by `dot` to path, as SVG or PNG from its extension (.svg, .png). The
// file appears whole or not at all (written to a temporary name, then renamed). IOError when the
// `dot` program is not on PATH or fails; ValueError for another extension.
void render(const std::string& dot_text, const std::string& path);

namespace detail {
// Every node of the graph, in backward's order, with the DOT id to_dot() gives it ("n3", or "m1"
// for a node inside collapsed module 1) and its name (the op, or the leaf's name in `options`):
// how write_html finds the running node in the picture. `op` names the caller in errors.
struct DrawnNode {
    const autograd::Node* node;
    std::string id, label;
};
std::vector<DrawnNode> drawn_nodes(const Tensor& root, const GraphOptions& options, const char* op);
}  // namespace detail

}  // namespace descent::study
