// The NPY format (numpy.save): magic "\x93NUMPY", a version, a header length, a Python-literal dict
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with spaces to a multiple of
// 64 bytes, then the raw values. descent writes version 1.0 C-order arrays of its five dtypes
// ('<f4', '<f8', '<i8', '|u1', '|b1'); it reads those from versions 1.0 to 3.0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "descent/core/dtype.hpp"
#include "descent/core/shape.hpp"

namespace descent::io {

struct NpyHeader {
    std::string descr;  // dtype: '<f4' is little-endian float32, '<i8' int64, '|b1' bool
    bool fortran_order = false;
    std::vector<int64_t> shape;
};

// The NPY descr numpy.save writes for a dtype: '<f4', '<f8', '<i8', '|u1' or '|b1'.
const char* npy_descr(ScalarType dtype);

// The complete NPY 1.0 header (magic to padding) for a C-order array of `shape` and `dtype`.
std::string npy_header(const Shape& shape, ScalarType dtype = kFloat32);

namespace detail {
constexpr int npy_magic_size = 8;  // "\x93NUMPY", major, minor
// Checks the magic and version in the first 8 bytes; returns the size of the header-length field
// that follows (2 for version 1, 4 for versions 2 and 3). `where` prefixes error messages.
int npy_length_field_size(const uint8_t* first8, const std::string& where);
// Parses the dict text of a header. IOError (prefixed by `where`) if it is not a dict of exactly
// 'descr' (a string), 'fortran_order' (True/False) and 'shape' (a tuple of non-negative ints).
NpyHeader parse_npy_dict(const std::string& text, const std::string& where);
// The dtype of a descr npy_descr writes (a one-byte type with any byte-order mark). IOError
// (prefixed by `where`) naming any other, a big-endian one as such, with the NumPy conversion.
ScalarType npy_dtype(const std::string& descr, const std::string& where);
}  // namespace detail

}  // namespace descent::io
