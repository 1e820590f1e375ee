// NPY headers: writing version 1.0 C-order for each dtype, parsing the Python-literal dict of
// 1.0-3.0, and the descr <-> dtype mapping (little-endian only, as descent's memory).
#include "descent/io/npy.hpp"

#include <cctype>
#include <cstring>

#include "descent/core/error.hpp"

namespace descent::io {

namespace {

// A recursive-descent reader of the few Python literals an NPY header holds.
class DictParser {
public:
    DictParser(const std::string& text, const std::string& where) : s_(text), where_(where) {}

    NpyHeader parse() {
        NpyHeader h;
        bool descr = false, fortran = false, shape = false;
        expect('{');
        while (!peek('}')) {
            const std::string key = string();
            expect(':');
            if (key == "descr" && !descr) {
                h.descr = string(), descr = true;
            } else if (key == "fortran_order" && !fortran) {
                h.fortran_order = boolean(), fortran = true;
            } else if (key == "shape" && !shape) {
                h.shape = tuple(), shape = true;
            } else {
                fail(descent::detail::cat("unexpected key '", key, "'"));
            }
            if (!peek('}')) expect(',');
        }
        expect('}');
        skip_space();
        if (pos_ != s_.size()) fail("text after the closing '}'");
        if (!descr || !fortran || !shape)
            fail(descent::detail::cat("missing key '",
                                      !descr     ? "descr"
                                      : !fortran ? "fortran_order"
                                                 : "shape",
                                      "'"));
        return h;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        const size_t end = s_.find_last_not_of(" \n");  // the padding says nothing
        throw IOError(descent::detail::cat(where_, ": unparsable NPY header (", why, " at offset ",
                                           pos_, "): ", s_.substr(0, end + 1)));
    }
    void skip_space() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    }
    bool peek(char c) {
        skip_space();
        return pos_ < s_.size() && s_[pos_] == c;
    }
    void expect(char c) {
        if (!peek(c)) fail(descent::detail::cat("expected '", c, "'"));
        ++pos_;
    }
    std::string string() {
        skip_space();
        if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) fail("expected a string");
        const char quote = s_[pos_++];
        const size_t end = s_.find(quote, pos_);
        if (end == std::string::npos) fail("unterminated string");
        std::string out = s_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return out;
    }
    bool boolean() {
        skip_space();
        for (const char* word : {"True", "False"})
            if (s_.compare(pos_, std::strlen(word), word) == 0) {
                pos_ += std::strlen(word);
                return word[0] == 'T';
            }
        fail("expected True or False");
    }
    std::vector<int64_t> tuple() {
        std::vector<int64_t> out;
        expect('(');
        while (!peek(')')) {
            skip_space();
            int64_t v = 0;
            const size_t start = pos_;
            for (; pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])); ++pos_)
                if (__builtin_mul_overflow(v, 10, &v) ||
                    __builtin_add_overflow(v, s_[pos_] - '0', &v))
                    fail("shape entry overflows 64 bits");
            if (pos_ == start) fail("expected a non-negative integer");
            out.push_back(v);
            if (!peek(')')) expect(',');
        }
        expect(')');
        return out;
    }

    const std::string& s_;
    const std::string& where_;
    size_t pos_ = 0;
};

}  // namespace

const char* npy_descr(ScalarType dtype) {
    switch (dtype) {
        case ScalarType::Float32: return "<f4";
        case ScalarType::Float64: return "<f8";
        case ScalarType::Int64: return "<i8";
        case ScalarType::UInt8: return "|u1";
        case ScalarType::Bool: return "|b1";
    }
    throw ValueError(descent::detail::cat("npy_descr(): no NPY descr for dtype ", int(dtype)));
}

std::string npy_header(const Shape& shape, ScalarType dtype) {
    std::string dict = descent::detail::cat("{'descr': '", npy_descr(dtype),
                                            "', 'fortran_order': False, 'shape': (");
    for (size_t i = 0; i < shape.size(); ++i) dict += (i ? ", " : "") + std::to_string(shape[i]);
    dict += shape.size() == 1 ? ",), }" : "), }";
    // Exactly as numpy.lib.format (1.24) pads: spaces so the first dim can grow in place to 21
    // digits, then spaces and a '\n' up to a multiple of 64 bytes (a whole 64 if already there).
    if (!shape.empty()) dict.append(21 - std::to_string(shape[0]).size(), ' ');
    const size_t prefix = detail::npy_magic_size + 2;
    dict.append(64 - (prefix + dict.size() + 1) % 64, ' ');
    dict += '\n';
    DESCENT_CHECK(dict.size() <= 65535, ValueError, "npy_header(): shape ", shape,
                  " needs a header longer than NPY 1.0 allows");
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>(dict.size() >> 8);
    return out + dict;
}

namespace detail {

int npy_length_field_size(const uint8_t* first8, const std::string& where) {
    DESCENT_CHECK(std::memcmp(first8, "\x93NUMPY", 6) == 0, IOError, where,
                  ": not an NPY array (bad magic; expected \\x93NUMPY)");
    const int major = first8[6], minor = first8[7];
    DESCENT_CHECK(major >= 1 && major <= 3 && minor == 0, IOError, where, ": NPY version ", major,
                  ".", minor, " is not supported (1.0, 2.0 and 3.0 are)");
    return major == 1 ? 2 : 4;
}

NpyHeader parse_npy_dict(const std::string& text, const std::string& where) {
    return DictParser(text, where).parse();
}

ScalarType npy_dtype(const std::string& descr, const std::string& where) {
    for (ScalarType t : {kFloat32, kFloat64, kInt64, kUInt8, kBool})
        if (descr == npy_descr(t)) return t;
    // One byte has no byte order: '<u1', '>b1', '=u1' are the same types.
    const bool one_byte = descr.size() == 3 && std::strchr("<>=|", descr[0]) &&
                          (descr.compare(1, 2, "u1") == 0 || descr.compare(1, 2, "b1") == 0);
    if (one_byte) return descr[1] == 'u' ? kUInt8 : kBool;
    const std::string supported =
        "descent reads '<f4' (float32), '<f8' (float64), '<i8' (int64), '|u1' (uint8) and '|b1' "
        "(bool)";
    const std::string kind = descr.size() >= 2 ? descr.substr(1) : "";
    if (!descr.empty() && descr[0] == '>') {
        const bool known = kind == "f4" || kind == "f8" || kind == "i8";
        throw IOError(descent::detail::cat(
            where, ": dtype '", descr, "' is big-endian, which descent does not read; ", supported,
            known ? "; save it little-endian in NumPy with .astype('<" + kind + "')" : ""));
    }
    const char* hint = "";
    if (kind == "f2" || kind == "f16" || kind == "f12")
        hint = "; convert it in NumPy with .astype(np.float32)";
    else if (kind == "i1" || kind == "i2" || kind == "i4" || kind == "u2" || kind == "u4" ||
             kind == "u8")
        hint = "; convert it in NumPy with .astype(np.int64)";
    throw IOError(
        descent::detail::cat(where, ": dtype '", descr, "' is not supported; ", supported, hint));
}

}  // namespace detail

}  // namespace descent::io
