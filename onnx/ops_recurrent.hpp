// The recurrent ops of onnx::load's op table (LSTM, GRU, RNN; onnx/ops_recurrent.cpp), kept in a
// file of their own and merged into the table by onnx/ops.cpp. Internal to descent::onnx.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "descent/onnx/graph.hpp"

namespace descent::onnx::detail {

using OpFunction =
    std::function<std::vector<Tensor>(const GraphNode&, const std::vector<Tensor>&, int64_t)>;

// LSTM, GRU, RNN.
std::map<std::string, OpFunction> recurrent_ops();

}  // namespace descent::onnx::detail
