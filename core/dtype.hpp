// Element types: a tensor's dtype (float32 by default, float64, int64, bool, uint8), the C++ type
// behind each, PyTorch's type promotion (in this one place, not per op), and TensorOptions as
// libtorch spells it: zeros({2, 3}, kInt64), zeros({2, 3}, TensorOptions().dtype(kFloat64)).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <type_traits>

namespace descent {

// Ordered by promotion rank within each kind: bool < uint8 < int64 < float32 < float64.
enum class ScalarType : uint8_t { Bool, UInt8, Int64, Float32, Float64 };
using Dtype = ScalarType;

inline constexpr ScalarType kBool = ScalarType::Bool;
inline constexpr ScalarType kUInt8 = ScalarType::UInt8;
inline constexpr ScalarType kByte = ScalarType::UInt8;
inline constexpr ScalarType kInt64 = ScalarType::Int64;
inline constexpr ScalarType kLong = ScalarType::Int64;
inline constexpr ScalarType kFloat32 = ScalarType::Float32;
inline constexpr ScalarType kFloat = ScalarType::Float32;
inline constexpr ScalarType kFloat64 = ScalarType::Float64;
inline constexpr ScalarType kDouble = ScalarType::Float64;

// Bytes per element.
constexpr int64_t element_size(ScalarType t) {
    switch (t) {
        case ScalarType::Bool:
        case ScalarType::UInt8: return 1;
        case ScalarType::Int64:
        case ScalarType::Float64: return 8;
        case ScalarType::Float32: return 4;
    }
    return 0;
}
constexpr bool is_floating_point(ScalarType t) {
    return t == ScalarType::Float32 || t == ScalarType::Float64;
}
constexpr bool is_integral(ScalarType t, bool include_bool = false) {
    return t == ScalarType::Int64 || t == ScalarType::UInt8 ||
           (include_bool && t == ScalarType::Bool);
}
// "float32", "float64", "int64", "bool", "uint8": the names PyTorch prints.
const char* dtype_name(ScalarType t);
std::ostream& operator<<(std::ostream& os, ScalarType t);
// The C++ element type ("float", "int64_t", ...) and the constant ("kFloat32", ...), for messages.
const char* cpp_type_name(ScalarType t);
const char* constant_name(ScalarType t);

// PyTorch's promotion of two tensor dtypes: the higher kind wins (bool < integer < floating), and
// within a kind the wider type.
constexpr ScalarType promote_types(ScalarType a, ScalarType b) {
    return static_cast<uint8_t>(a) >= static_cast<uint8_t>(b) ? a : b;
}
// A C++ number beside a tensor of dtype `t`: it only lifts the kind, never the width, so
// float32 * 2.0 stays float32 and int64 * 2.5 becomes float32 (the default floating dtype).
constexpr ScalarType promote_with_scalar(ScalarType t, bool scalar_is_floating) {
    if (scalar_is_floating && !is_floating_point(t)) return ScalarType::Float32;
    if (!scalar_is_floating && t == ScalarType::Bool) return ScalarType::Int64;
    return t;
}

// The dtype of a C++ element type, and back.
template <class T>
struct dtype_of;
template <>
struct dtype_of<bool> : std::integral_constant<ScalarType, ScalarType::Bool> {};
template <>
struct dtype_of<uint8_t> : std::integral_constant<ScalarType, ScalarType::UInt8> {};
template <>
struct dtype_of<int64_t> : std::integral_constant<ScalarType, ScalarType::Int64> {};
template <>
struct dtype_of<float> : std::integral_constant<ScalarType, ScalarType::Float32> {};
template <>
struct dtype_of<double> : std::integral_constant<ScalarType, ScalarType::Float64> {};
template <class T>
inline constexpr ScalarType dtype_of_v = dtype_of<T>::value;

// Calls f(T{}) with T the C++ type of `t`: the one switch behind every per-dtype kernel choice.
template <class F>
decltype(auto) visit_dtype(ScalarType t, F&& f) {
    switch (t) {
        case ScalarType::Bool: return f(bool{});
        case ScalarType::UInt8: return f(uint8_t{});
        case ScalarType::Int64: return f(int64_t{});
        case ScalarType::Float64: return f(double{});
        case ScalarType::Float32: break;
    }
    return f(float{});
}

// What a factory is asked for: libtorch's TensorOptions, with the one option descent's CPU tensors
// have besides requires_grad. A plain dtype converts to it: zeros({2}, kInt64).
struct TensorOptions {
    TensorOptions() = default;
    TensorOptions(ScalarType d) : dtype_(d) {}  // NOLINT: implicit, as in libtorch
    TensorOptions dtype(ScalarType d) const {
        TensorOptions o = *this;
        o.dtype_ = d;
        return o;
    }
    TensorOptions requires_grad(bool r) const {
        TensorOptions o = *this;
        o.requires_grad_ = r;
        return o;
    }
    ScalarType dtype() const { return dtype_; }
    bool requires_grad() const { return requires_grad_; }

private:
    ScalarType dtype_ = ScalarType::Float32;
    bool requires_grad_ = false;
};

// libtorch's free spellings: torch::dtype(torch::kInt64).requires_grad(true).
inline TensorOptions dtype(ScalarType d) { return TensorOptions(d); }

}  // namespace descent
