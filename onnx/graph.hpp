// An ONNX graph in descent's terms, as onnx::load reads it: nodes with their attributes and the
// op table that runs each node with descent's differentiable ops (onnx/ops.cpp). No protobuf here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::onnx {

// One attribute of a node; which fields hold the value depends on its ONNX type.
struct Attribute {
    int64_t i = 0;
    float f = 0;
    std::string s;
    std::vector<int64_t> ints;
    std::vector<float> floats;
    std::vector<std::string> strings;  // STRINGS (a recurrent op's activations)
    Tensor t;                          // a TENSOR attribute (Constant's value)
};

struct GraphNode {
    std::string op_type, name;
    std::vector<std::string> inputs, outputs;  // "" for an optional input left out
    std::map<std::string, Attribute> attributes;
    int64_t index = 0;  // position in the file's node list, for messages
};

// Whether descent maps an op of the default ONNX domain, and the sorted list of those it maps.
bool op_supported(const std::string& op_type);
std::vector<std::string> supported_ops();

// Runs one node on its inputs (undefined for left-out optional inputs) under `opset`, with
// descent's ops, so the result is differentiable wherever the op is. An attribute or input the
// mapping cannot honour is a ValueError naming the node, the op and the value.
std::vector<Tensor> run_node(const GraphNode& node, const std::vector<Tensor>& inputs,
                             int64_t opset);

}  // namespace descent::onnx
