// Internal to descent::onnx: the op table's entry type and the small readers of a node's attributes
// and inputs that the files adding ops to the table (onnx/ops_tensor.cpp) share. onnx/ops.cpp's
// table() calls each file's add_*_ops once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/onnx/graph.hpp"

namespace descent::onnx::detail {

using OpFn =
    std::function<std::vector<Tensor>(const GraphNode&, const std::vector<Tensor>&, int64_t)>;

// Gather, Slice, Where, Equal, Less(OrEqual), Greater(OrEqual), Not, Cast, CastLike,
// LayerNormalization, Split, Expand, Min, Max, ConstantOfShape, Range.
void add_tensor_ops(std::map<std::string, OpFn>& table);

inline std::string node_where(const GraphNode& n) {
    return "onnx: node '" + n.name + "' (" + n.op_type + ")";
}
inline const Attribute* node_attr(const GraphNode& n, const char* name) {
    auto it = n.attributes.find(name);
    return it == n.attributes.end() ? nullptr : &it->second;
}
inline int64_t node_int(const GraphNode& n, const char* name, int64_t fallback) {
    const Attribute* a = node_attr(n, name);
    return a ? a->i : fallback;
}
inline float node_float(const GraphNode& n, const char* name, float fallback) {
    const Attribute* a = node_attr(n, name);
    return a ? a->f : fallback;
}
// Input i, which must be present.
inline const Tensor& node_input(const GraphNode& n, const std::vector<Tensor>& in, size_t i) {
    DESCENT_CHECK(i < in.size() && in[i].defined(), ValueError, node_where(n), ": input ", i,
                  " is required");
    return in[i];
}
// Whether optional input i is present.
inline bool has_input(const std::vector<Tensor>& in, size_t i) {
    return i < in.size() && in[i].defined();
}

}  // namespace descent::onnx::detail
