// NPY headers: descent's bytes equal NumPy's for the same arrays, and the dict parser accepts what
// NumPy writes (and Python-literal variants) but refuses anything else, naming what it found.
#include "descent/io/npy.hpp"
#include "support.hpp"

using namespace descent;
using io::detail::parse_npy_dict;

namespace {

// What numpy.save (1.24) writes for a float32 array: magic, version 1.0, length 118 (0x76), the
// dict, spaces and a newline up to 128 bytes.
std::string numpy_header(const std::string& dict) {
    std::string h = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict;
    return h + std::string(127 - h.size(), ' ') + "\n";
}

}  // namespace

TEST_CASE("npy_header matches numpy.save byte for byte") {
    CHECK(io::npy_header({2, 3}) ==
          numpy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
    CHECK(io::npy_header({}) ==
          numpy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (), }"));
    CHECK(io::npy_header({5}) ==
          numpy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"));
    CHECK(io::npy_header({2, 1, 28, 28}) ==
          numpy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 28, 28), }"));
    // A longer shape pads to the next multiple of 64: numpy gives 192 bytes, length 0xb6.
    const std::string long_header = io::npy_header(Shape(8, 100000));
    CHECK(long_header.size() == 192);
    CHECK(long_header.substr(8, 2) == std::string("\xb6\x00", 2));
    CHECK(long_header.back() == '\n');
    CHECK(io::npy_header(Shape(30, 1)).substr(8, 2) == std::string("\xb6\x00", 2));
    CHECK(io::npy_header({123456789012}).size() == 128);
}

TEST_CASE("parse_npy_dict reads NumPy's dicts and Python-literal variants") {
    const auto h =
        parse_npy_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }  \n", "t");
    CHECK(h.descr == "<f4");
    CHECK_FALSE(h.fortran_order);
    CHECK(h.shape == std::vector<int64_t>{2, 3});
    // Other key order, double quotes, no trailing comma, 1-tuple, 0-d.
    const auto g = parse_npy_dict("{\"shape\":(7,),\"fortran_order\":True,\"descr\":\"<f8\"}", "t");
    CHECK(g.descr == "<f8");
    CHECK(g.fortran_order);
    CHECK(g.shape == std::vector<int64_t>{7});
    CHECK(
        parse_npy_dict("{'descr': '<f4', 'fortran_order': False, 'shape': ()}", "t").shape.empty());
}

TEST_CASE("parse_npy_dict refuses malformed dicts, naming the problem") {
    const auto refuses = [](const std::string& text, const std::string& why) {
        return test::expect_error<IOError>([&] { parse_npy_dict(text, "where"); },
                                           {"where", "unparsable NPY header", why});
    };
    CHECK_OUTCOME(
        refuses("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3 }", "expected ','"));
    CHECK_OUTCOME(refuses("{'descr': '<f4', 'fortran_order': False}", "missing key 'shape'"));
    CHECK_OUTCOME(refuses("{'descr': '<f4', 'shape': (1,)}", "missing key 'fortran_order'"));
    CHECK_OUTCOME(refuses("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
                          "unexpected key 'x'"));
    CHECK_OUTCOME(refuses("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}",
                          "unexpected key 'descr'"));
    CHECK_OUTCOME(refuses("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", "True or False"));
    CHECK_OUTCOME(refuses("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
                          "non-negative integer"));
    CHECK_OUTCOME(refuses(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "overflows"));
    CHECK_OUTCOME(refuses("{'descr': '<f4, 'fortran_order': False, 'shape': ()}", "expected"));
    CHECK_OUTCOME(refuses("{'descr': '<f4', 'fortran_order': False, 'shape': ()} x", "after"));
    CHECK_OUTCOME(refuses("", "expected '{'"));
}

TEST_CASE("npy magic and versions") {
    const auto first8 = [](const char* s) { return reinterpret_cast<const uint8_t*>(s); };
    CHECK(io::detail::npy_length_field_size(first8("\x93NUMPY\x01\x00"), "w") == 2);
    CHECK(io::detail::npy_length_field_size(first8("\x93NUMPY\x02\x00"), "w") == 4);
    CHECK(io::detail::npy_length_field_size(first8("\x93NUMPY\x03\x00"), "w") == 4);
    CHECK_ERROR(IOError,
                [&] { io::detail::npy_length_field_size(first8("\x93NUMPZ\x01\x00"), "w"); },
                {"w", "bad magic"});
    CHECK_ERROR(IOError,
                [&] { io::detail::npy_length_field_size(first8("\x93NUMPY\x04\x00"), "w"); },
                {"w", "version 4.0"});
    CHECK_ERROR(IOError,
                [&] { io::detail::npy_length_field_size(first8("\x93NUMPY\x01\x01"), "w"); },
                {"version 1.1"});
}

TEST_CASE(
    "npy_header writes each dtype's descr as numpy.save does, and npy_dtype reads them back") {
    // numpy.save of float64, int64, uint8 and bool arrays: the same 128-byte layout, its descr.
    CHECK(io::npy_header({2, 3}, kFloat64) ==
          numpy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"));
    CHECK(io::npy_header({}, kInt64) ==
          numpy_header("{'descr': '<i8', 'fortran_order': False, 'shape': (), }"));
    CHECK(io::npy_header({5}, kUInt8) ==
          numpy_header("{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }"));
    CHECK(io::npy_header({5}, kBool) ==
          numpy_header("{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }"));
    CHECK(io::npy_header({2, 3}, kFloat32) == io::npy_header({2, 3}));
    for (ScalarType t : {kFloat32, kFloat64, kInt64, kUInt8, kBool}) {
        CAPTURE(t);
        CHECK(io::detail::npy_dtype(io::npy_descr(t), "w") == t);
    }
    // One byte has no byte order: NumPy reads '<u1' and '=b1' as '|u1' and '|b1'.
    CHECK(io::detail::npy_dtype("<u1", "w") == kUInt8);
    CHECK(io::detail::npy_dtype("=b1", "w") == kBool);
}

TEST_CASE("npy_dtype refuses other descrs by name, big-endian ones in words, with NumPy's fix") {
    using io::detail::npy_dtype;
    CHECK_ERROR(IOError, [] { npy_dtype(">f8", "where"); },
                {"where", "dtype '>f8'", "big-endian", ".astype('<f8')"});
    CHECK_ERROR(IOError, [] { npy_dtype(">i8", "w"); }, {"'>i8'", "big-endian", ".astype('<i8')"});
    CHECK_ERROR(IOError, [] { npy_dtype(">i4", "w"); }, {"'>i4'", "big-endian", "'<i8' (int64)"});
    CHECK_ERROR(IOError, [] { npy_dtype("<i4", "w"); },
                {"w: dtype '<i4' is not supported", "'<i8' (int64)", ".astype(np.int64)"});
    CHECK_ERROR(IOError, [] { npy_dtype("|i1", "w"); }, {"'|i1'", ".astype(np.int64)"});
    CHECK_ERROR(IOError, [] { npy_dtype("<u8", "w"); }, {"'<u8'", ".astype(np.int64)"});
    CHECK_ERROR(IOError, [] { npy_dtype("<f2", "w"); }, {"'<f2'", ".astype(np.float32)"});
    CHECK_ERROR(IOError, [] { npy_dtype("<c8", "w"); },
                {"'<c8'",
                 "'<f4' (float32), '<f8' (float64), '<i8' (int64), '|u1' (uint8) and "
                 "'|b1' (bool)"});
    CHECK_ERROR(IOError, [] { npy_dtype("", "w"); }, {"dtype ''"});
    CHECK_ERROR(IOError, [] { npy_dtype("|O", "w"); }, {"dtype '|O'"});
}
