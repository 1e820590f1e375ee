// Dtype names, as PyTorch prints them.
#include "descent/core/dtype.hpp"

#include <ostream>

namespace descent {

const char* dtype_name(ScalarType t) {
    switch (t) {
        case ScalarType::Bool: return "bool";
        case ScalarType::UInt8: return "uint8";
        case ScalarType::Int64: return "int64";
        case ScalarType::Float32: return "float32";
        case ScalarType::Float64: return "float64";
    }
    return "unknown";
}

const char* cpp_type_name(ScalarType t) {
    switch (t) {
        case ScalarType::Bool: return "bool";
        case ScalarType::UInt8: return "uint8_t";
        case ScalarType::Int64: return "int64_t";
        case ScalarType::Float32: return "float";
        case ScalarType::Float64: return "double";
    }
    return "unknown";
}

const char* constant_name(ScalarType t) {
    switch (t) {
        case ScalarType::Bool: return "kBool";
        case ScalarType::UInt8: return "kUInt8";
        case ScalarType::Int64: return "kInt64";
        case ScalarType::Float32: return "kFloat32";
        case ScalarType::Float64: return "kFloat64";
    }
    return "unknown";
}

std::ostream& operator<<(std::ostream& os, ScalarType t) { return os << dtype_name(t); }

}  // namespace descent
