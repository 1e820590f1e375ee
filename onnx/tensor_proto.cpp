// Converting tensors to and from ONNX's TensorProto, with the checks an untrusted file needs.
#include "descent/onnx/tensor_proto.hpp"

#include <cstring>
#include <limits>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::onnx::detail {

namespace {

using ::onnx::TensorProto;

int32_t onnx_type(ScalarType t) {
    switch (t) {
        case ScalarType::Float32: return TensorProto::FLOAT;
        case ScalarType::Float64: return TensorProto::DOUBLE;
        case ScalarType::Int64: return TensorProto::INT64;
        case ScalarType::UInt8: return TensorProto::UINT8;
        case ScalarType::Bool: return TensorProto::BOOL;
    }
    return TensorProto::UNDEFINED;
}

bool descent_type(int32_t t, ScalarType& out) {
    switch (t) {
        case TensorProto::FLOAT: out = ScalarType::Float32; return true;
        case TensorProto::DOUBLE: out = ScalarType::Float64; return true;
        case TensorProto::INT64: out = ScalarType::Int64; return true;
        case TensorProto::INT32: out = ScalarType::Int64; return true;  // widened: no int32 here
        case TensorProto::UINT8: out = ScalarType::UInt8; return true;
        case TensorProto::BOOL: out = ScalarType::Bool; return true;
        default: return false;
    }
}

}  // namespace

std::string elem_type_name(int32_t elem_type) {
    if (TensorProto::DataType_IsValid(elem_type))
        return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(elem_type));
    return "type " + std::to_string(elem_type);
}

TensorProto to_proto(const Tensor& t, const std::string& name) {
    const Tensor c = t.detach().contiguous();
    TensorProto p;
    p.set_name(name);
    p.set_data_type(onnx_type(c.dtype()));
    for (int64_t d : c.shape()) p.add_dims(d);
    p.set_raw_data(std::string(static_cast<const char*>(c.impl()->first_raw()),
                               static_cast<size_t>(c.numel()) * c.element_size()));
    return p;
}

Tensor from_proto(const TensorProto& p, const std::string& who) {
    const std::string what = who + ": tensor \"" + p.name() + "\"";
    DESCENT_CHECK(p.data_location() != TensorProto::EXTERNAL && p.external_data_size() == 0,
                  IOError, what,
                  " keeps its data in an external file, which descent does not read");
    ScalarType dtype{};
    DESCENT_CHECK(descent_type(p.data_type(), dtype), IOError, what, " has element type ",
                  elem_type_name(p.data_type()),
                  "; descent reads FLOAT, DOUBLE, INT64, INT32 (as int64), UINT8 and BOOL");
    Shape shape;
    int64_t n = 1;
    for (int64_t d : p.dims()) {
        DESCENT_CHECK(d >= 0, IOError, what, " has a negative dim ", d);
        DESCENT_CHECK(d == 0 || n <= std::numeric_limits<int64_t>::max() / d, IOError, what,
                      " has too many elements");
        n *= d;
        shape.push_back(d);
    }
    const bool int32 = p.data_type() == TensorProto::INT32;  // read widened into int64
    const size_t esize = int32 ? sizeof(int32_t) : element_size(dtype);
    // How many values the file holds, before anything is allocated.
    int64_t have = 0;
    if (p.has_raw_data()) {
        DESCENT_CHECK(p.raw_data().size() % esize == 0, IOError, what, " has ", p.raw_data().size(),
                      " bytes of raw data, not a whole number of ", dtype_name(dtype), " elements");
        have = static_cast<int64_t>(p.raw_data().size() / esize);
    } else {
        switch (p.data_type()) {
            case TensorProto::FLOAT: have = p.float_data_size(); break;
            case TensorProto::DOUBLE: have = p.double_data_size(); break;
            case TensorProto::INT64: have = p.int64_data_size(); break;
            default: have = p.int32_data_size(); break;  // uint8 and bool live in int32_data
        }
    }
    DESCENT_CHECK(have == n, IOError, what, " has dims ", shape, " (", n,
                  " elements) but its data holds ", have, " elements");
    Tensor t = empty(shape, TensorOptions().dtype(dtype));
    if (n == 0) return t;
    char* dst = static_cast<char*>(t.impl()->first_raw());
    if (int32) {
        int64_t* d = reinterpret_cast<int64_t*>(dst);
        for (int64_t i = 0; i < n; ++i) {
            int32_t v = 0;
            if (p.has_raw_data())
                std::memcpy(&v, p.raw_data().data() + i * 4, 4);
            else
                v = p.int32_data(static_cast<int>(i));
            d[i] = v;
        }
    } else if (p.has_raw_data()) {
        std::memcpy(dst, p.raw_data().data(),
                    p.raw_data().size());  // ONNX is little-endian, as x86
    } else if (p.data_type() == TensorProto::FLOAT) {
        std::memcpy(dst, p.float_data().data(), n * esize);
    } else if (p.data_type() == TensorProto::DOUBLE) {
        std::memcpy(dst, p.double_data().data(), n * esize);
    } else if (p.data_type() == TensorProto::INT64) {
        std::memcpy(dst, p.int64_data().data(), n * esize);
    } else {
        for (int64_t i = 0; i < n; ++i) {
            const int32_t v = p.int32_data(static_cast<int>(i));
            if (dtype == ScalarType::Bool)
                reinterpret_cast<bool*>(dst)[i] = v != 0;
            else
                reinterpret_cast<uint8_t*>(dst)[i] = static_cast<uint8_t>(v);
        }
    }
    return t;
}

}  // namespace descent::onnx::detail
