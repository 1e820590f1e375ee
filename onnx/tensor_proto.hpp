// Between descent tensors and ONNX's TensorProto (initializers, Constant values, the conformance
// suite's inputs and outputs). Internal to descent::onnx: the one header besides the .cpp files
// that sees ONNX's protobuf classes; the public headers do not include it.
#pragma once

#include <string>

#include <onnx/onnx_pb.h>

#include "descent/core/tensor.hpp"

namespace descent::onnx::detail {

// t's values as an initializer named `name` (float32, float64, int64, uint8 or bool; raw_data).
::onnx::TensorProto to_proto(const Tensor& t, const std::string& name);

// A TensorProto's values as a fresh descent tensor. Checked before any allocation: the element type
// is one descent has, no dim is negative, the element count fits, and the data present (raw_data or
// the typed field) holds exactly that many elements; external data is refused. Errors are
// descent::IOError naming `who` (the caller and the file) and the tensor's name.
Tensor from_proto(const ::onnx::TensorProto& p, const std::string& who);

// "FLOAT", "INT64"...: an ONNX element type for messages.
std::string elem_type_name(int32_t elem_type);

}  // namespace descent::onnx::detail
