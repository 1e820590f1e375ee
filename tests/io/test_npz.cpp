// .npz state dicts: round trips (values, shapes, order, 0-d and empty tensors), archives written by
// NumPy itself, atomic overwrite (the old file survives a failed save), and each malformed archive
// load_npz must refuse before allocating: not a zip, not .npy, bad magic or version, unparsable
// header, wrong dtype, Fortran order, and shapes that disagree with the entry's size.
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include <cstring>

#include "descent/io/npy.hpp"
#include "descent/io/npz.hpp"
#include "io/npz_fixtures.hpp"
#include "io/scratch.hpp"
#include "support.hpp"

using namespace descent;

namespace {

// A zip of (entry name, bytes), written with libzip, deflated or stored.
void make_zip(const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& entries,
              bool deflate = false) {
    int err = 0;
    zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    REQUIRE(za != nullptr);
    for (const auto& [name, bytes] : entries) {
        zip_source_t* src = zip_source_buffer(za, bytes.data(), bytes.size(), 0);
        const zip_int64_t i = zip_file_add(za, name.c_str(), src, 0);
        REQUIRE(i >= 0);
        zip_set_file_compression(za, zip_uint64_t(i), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
    }
    REQUIRE(zip_close(za) == 0);
}

// An NPY entry: a header for `shape` and the raw bytes of `values`.
std::string npy(const Shape& shape, const std::vector<float>& values) {
    return io::npy_header(shape) +
           std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

// An NPY 1.0 entry with a hand-written dict (padded like NumPy's) and `data_bytes` of zeros.
std::string npy_with_dict(const std::string& dict, size_t data_bytes) {
    std::string h = dict;
    h.append(64 - (10 + h.size() + 1) % 64, ' ');
    h += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += char(h.size() & 0xff);
    out += char(h.size() >> 8);
    return out + h + std::string(data_bytes, '\0');
}

std::string dict_of(const std::string& descr, const std::string& fortran,
                    const std::string& shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

// A one-entry zip written byte by byte, with zip64 sizes in the central directory, so that the
// directory can claim what libzip would never write: any size, method or flag.
struct RawEntry {
    std::string name = "w.npy";
    std::string data;  // the bytes as stored (already compressed for a deflated entry)
    uint16_t method = 0, flags = 0;
    uint64_t size = 0, comp_size = 0;  // what the directory claims
    uint32_t crc = 0;
};

std::string le(uint64_t v, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i) out += char((v >> (8 * i)) & 0xff);
    return out;
}

std::string raw_zip(const RawEntry& e) {
    const std::string zip64 = le(1, 2) + le(16, 2) + le(e.size, 8) + le(e.comp_size, 8);
    const std::string common = le(45, 2) + le(e.flags, 2) + le(e.method, 2) + le(0, 4) +
                               le(e.crc, 4) + le(0xffffffff, 4) + le(0xffffffff, 4) +
                               le(e.name.size(), 2) + le(zip64.size(), 2);
    const std::string local = le(0x04034b50, 4) + common + e.name + zip64 + e.data;
    const std::string central = le(0x02014b50, 4) + le(45, 2) + common + le(0, 2) + le(0, 2) +
                                le(0, 2) + le(0, 4) + le(0, 4) + e.name + zip64;
    return local + central + le(0x06054b50, 4) + le(0, 4) + le(1, 2) + le(1, 2) +
           le(central.size(), 4) + le(local.size(), 4) + le(0, 2);
}

std::string deflate_raw(const std::string& bytes) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, bytes.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z.avail_in = unsigned(bytes.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = unsigned(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

uint32_t crc_of(const std::string& bytes) {
    return uint32_t(crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), unsigned(bytes.size())));
}

std::vector<std::string> names(const NamedTensors& t) {
    std::vector<std::string> out;
    for (const auto& [k, v] : t) out.push_back(k);
    return out;
}

}  // namespace

TEST_CASE("save_npz and load_npz round trip values, shapes, order, 0-d and empty tensors") {
    test::ScratchDir dir;
    const std::string p = dir.file("state.npz");
    const NamedTensors saved = {{"model.fc2.weight", test::iota({3, 2})},
                                {"model.fc1.bias", tensor({-1.5f, 0.25f, 1e-30f, 3e38f})},
                                {"optim.step", scalar_tensor(7)},
                                {"empty", zeros({0, 5})},
                                {"a", test::input({2, 1, 4, 3}, 3).detach()}};
    io::save_npz(p, saved);
    const NamedTensors loaded = io::load_npz(p);
    // Insertion order, not sorted.
    CHECK(names(loaded) == names(saved));
    for (size_t i = 0; i < saved.size(); ++i) {
        CAPTURE(saved[i].first);
        CHECK(equal(loaded[i].second, saved[i].second));  // same shape, bitwise-equal values
        CHECK_FALSE(loaded[i].second.is_same(saved[i].second));
    }
    CHECK(loaded[2].second.shape() == Shape{});
    // Every entry is "<name>.npy", stored as numpy.savez stores them.
    int err = 0;
    zip_t* za = zip_open(p.c_str(), ZIP_RDONLY, &err);
    REQUIRE(za != nullptr);
    CHECK(zip_get_num_entries(za, 0) == 5);
    CHECK(std::string(zip_get_name(za, 0, 0)) == "model.fc2.weight.npy");
    zip_stat_t st;
    REQUIRE(zip_stat_index(za, 2, 0, &st) == 0);
    CHECK(st.comp_method == ZIP_CM_STORE);
    CHECK(st.size == 128 + 4);  // NumPy's 128-byte header and one float
    zip_discard(za);
    // An empty state dict is an empty archive.
    io::save_npz(dir.file("none.npz"), {});
    CHECK(io::load_npz(dir.file("none.npz")).empty());
    CHECK(dir.entries().size() == 2);  // no temporary files left
}

TEST_CASE("save_npz and load_npz keep each tensor's dtype and every value exactly") {
    test::ScratchDir dir;
    const std::string p = dir.file("dtypes.npz");
    // Values float32 would round, int64 beyond 2^53 (which float64 rounds too), bools, bytes.
    const std::vector<double> f64 = {0.1, 1.0 + 0x1p-40, -1e300, 5e-324, 1.0 / 3};
    const std::vector<int64_t> i64 = {(int64_t(1) << 53) + 1, INT64_MIN, INT64_MAX, -1, 0, 7};
    const Tensor big = tensor(i64, {2, 3});
    const NamedTensors saved = {{"f64", tensor(f64, {5}, kFloat64)},
                                {"i64", big},
                                {"i64_t", big.t()},  // a view, written row-major as its values
                                {"b", tensor(std::vector<bool>{true, false, false, true}, {2, 2})},
                                {"u8", tensor(std::vector<int64_t>{0, 1, 128, 255}, kUInt8)},
                                {"count", scalar_tensor(3, kInt64)},
                                {"f32", tensor({0.1f, -2.5f})}};
    io::save_npz(p, saved);
    const NamedTensors loaded = io::load_npz(p);
    REQUIRE(names(loaded) == names(saved));
    for (size_t i = 0; i < saved.size(); ++i) {
        CAPTURE(saved[i].first);
        CHECK(loaded[i].second.dtype() == saved[i].second.dtype());
        CHECK(loaded[i].second.shape() == saved[i].second.shape());
    }
    CHECK(loaded[0].second.to_vector<double>() == f64);
    CHECK(loaded[1].second.to_vector<int64_t>() == i64);
    CHECK(loaded[2].second.to_vector<int64_t>() == big.t().to_vector<int64_t>());
    CHECK(loaded[2].second.to_vector<int64_t>()[1] == -1);  // (0, 1) of the transpose: big[1][0]
    CHECK(loaded[3].second.to_vector<bool>() == std::vector<bool>{true, false, false, true});
    CHECK(loaded[4].second.to_vector<uint8_t>() == std::vector<uint8_t>{0, 1, 128, 255});
    CHECK(loaded[5].second.item<int64_t>() == 3);
    CHECK(loaded[6].second.to_vector<float>() == std::vector<float>{0.1f, -2.5f});
    // Each entry is its header and numel * element_size bytes, as numpy.save writes it.
    int err = 0;
    zip_t* za = zip_open(p.c_str(), ZIP_RDONLY, &err);
    REQUIRE(za != nullptr);
    zip_stat_t st;
    const std::vector<int64_t> sizes = {5 * 8, 6 * 8, 6 * 8, 4, 4, 8, 2 * 4};
    for (size_t i = 0; i < sizes.size(); ++i) {
        REQUIRE(zip_stat_index(za, zip_uint64_t(i), 0, &st) == 0);
        CHECK(int64_t(st.size) == 128 + sizes[i]);
    }
    zip_discard(za);
}

TEST_CASE("load_npz reads NumPy's int64, float64, uint8 and bool entries and checks their sizes") {
    test::ScratchDir dir;
    const std::string p = dir.file("n.npz");
    const int64_t words[2] = {-(int64_t(1) << 62), 9};
    const double halves[2] = {0.5, -0.25};
    const std::string i8(reinterpret_cast<const char*>(words), 16);
    const std::string f8(reinterpret_cast<const char*>(halves), 16);
    make_zip(p, {{"i.npy", npy_with_dict(dict_of("<i8", "False", "(2,)"), 0) + i8},
                 {"d.npy", npy_with_dict(dict_of("<f8", "False", "(1, 2)"), 0) + f8},
                 {"u.npy", npy_with_dict(dict_of("|u1", "False", "(3,)"), 0) +
                               std::string("\x00\x7f\xff", 3)},
                 {"b.npy",
                  npy_with_dict(dict_of("|b1", "False", "(2,)"), 0) + std::string("\x01\x00", 2)}});
    const NamedTensors t = io::load_npz(p);
    CHECK(t[0].second.to_vector<int64_t>() == std::vector<int64_t>{words[0], 9});
    CHECK(t[1].second.shape() == Shape{1, 2});
    CHECK(t[1].second.to_vector<double>() == std::vector<double>{0.5, -0.25});
    CHECK(t[2].second.to_vector<uint8_t>() == std::vector<uint8_t>{0, 127, 255});
    CHECK(t[3].second.to_vector<bool>() == std::vector<bool>{true, false});
    // Sizes count the dtype's bytes: a lying shape is refused before allocation.
    make_zip(p, {{"w.npy", npy_with_dict(dict_of("<i8", "False", "(2,)"), 12)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {p, "key 'w'", "shape (2)", "needs 16 bytes", "holds 12"});
    make_zip(p, {{"w.npy", npy_with_dict(dict_of("|b1", "False", "(3, 3)"), 8)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {"shape (3, 3)", "needs 9 bytes", "holds 8"});
    make_zip(p, {{"w.npy", npy_with_dict(dict_of("<f8", "False", "(1073741824, 536870912)"), 8)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {"needs 4611686018427387904 bytes", "holds 8"});
    // A bool byte other than 0 or 1, an unknown and a big-endian descr.
    make_zip(p, {{"mask.npy", npy_with_dict(dict_of("|b1", "False", "(3,)"), 0) +
                                  std::string("\x00\x01\x02", 3)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'mask'", "bool element 2 is byte 2"});
    make_zip(p, {{"w.npy", npy_with_dict(dict_of("<i4", "False", "(2,)"), 8)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {p, "key 'w'", "dtype '<i4'", ".astype(np.int64)"});
    make_zip(p, {{"w.npy", npy_with_dict(dict_of(">i8", "False", "(2,)"), 16)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'", "'>i8' is big-endian"});
}

TEST_CASE("load_npz reads archives written by numpy.savez and numpy.savez_compressed") {
    test::ScratchDir dir;
    test::write_bytes(dir.file("c.npz"), fixtures::numpy_savez_compressed);
    const NamedTensors c = io::load_npz(dir.file("c.npz"));
    REQUIRE(names(c) == std::vector<std::string>{"fc1.weight", "fc1.bias", "step"});
    CHECK_VALUES(c[0].second, {2, 3}, {0.5f, -1.25f, 2.0f, 3.0f, 4.5f, -6.0f});
    CHECK_VALUES(c[1].second, {2}, {0.1f, 0.2f});
    CHECK_VALUES(c[2].second, {}, {3.0f});

    test::write_bytes(dir.file("s.npz"), fixtures::numpy_savez);
    const NamedTensors s = io::load_npz(dir.file("s.npz"));
    REQUIRE(names(s) == std::vector<std::string>{"b", "a"});
    CHECK_VALUES(s[0].second, {2, 2}, {0.0f, 0.25f, 0.5f, 0.75f});
    CHECK_VALUES(s[1].second, {}, {-2.5f});
}

TEST_CASE("load_npz reads deflated entries and NPY version 2.0") {
    test::ScratchDir dir;
    const std::string p = dir.file("d.npz");
    std::string v2 = npy({3}, {1, 2, 3});
    // Version 2.0: a 4-byte header length; the dict itself is unchanged.
    v2 = std::string("\x93NUMPY\x02\x00", 8) + v2.substr(8, 2) + std::string(2, '\0') +
         v2.substr(10);
    make_zip(p, {{"x.npy", npy({2, 2}, {1, 2, 3, 4})}, {"y.npy", v2}}, true);
    const NamedTensors t = io::load_npz(p);
    CHECK_VALUES(t[0].second, {2, 2}, {1, 2, 3, 4});
    CHECK_VALUES(t[1].second, {3}, {1, 2, 3});
}

TEST_CASE("save_npz overwrites atomically: a failed save leaves the old file intact") {
    test::ScratchDir dir;
    const std::string p = dir.file("ckpt.npz");
    io::save_npz(p, {{"w", tensor({1, 2})}});
    io::save_npz(p, {{"w", tensor({3, 4, 5})}, {"b", scalar_tensor(1)}});
    const std::string good = test::read_bytes(p);
    CHECK_VALUES(io::load_npz(p)[0].second, {3}, {3, 4, 5});

    // Refused names and tensors: nothing is written.
    CHECK_ERROR(ValueError,
                [&] {
                    io::save_npz(p, {{"w", tensor({9})}, {"", tensor({9})}});
                },
                {"save_npz()", p, "tensor 1", "empty name"});
    CHECK_ERROR(ValueError,
                [&] {
                    io::save_npz(p, {{"w", tensor({9})}, {"w", tensor({8})}});
                },
                {"save_npz()", p, "duplicate name 'w'"});
    CHECK_ERROR(ValueError, [&] { io::save_npz(p, {{"w", Tensor()}}); }, {"'w'", "undefined"});
    CHECK(test::read_bytes(p) == good);

    // A failure at the last step (the target is a directory, so the rename fails) removes the
    // temporary file.
    std::filesystem::create_directory(dir.file("sub"));
    CHECK_ERROR(IOError,
                [&] {
                    io::save_npz(dir.file("sub"), {{"w", tensor({9})}});
                },
                {"save_npz()", "cannot rename", dir.file("sub")});
    CHECK_ERROR(IOError,
                [&] {
                    io::save_npz(dir.file("missing/dir/x.npz"), {{"w", tensor({9})}});
                },
                {"save_npz()", dir.file("missing/dir/x.npz")});

    // A directory we may not write into (meaningless as root, who may write anywhere).
    if (::geteuid() != 0) {
        const std::string ro = dir.file("ro");
        std::filesystem::create_directory(ro);
        io::save_npz(ro + "/c.npz", {{"w", tensor({1})}});
        ::chmod(ro.c_str(), 0555);
        CHECK_ERROR(IOError,
                    [&] {
                        io::save_npz(ro + "/c.npz", {{"w", tensor({2, 2})}});
                    },
                    {"save_npz()", ro + "/c.npz"});
        ::chmod(ro.c_str(), 0755);
        CHECK_VALUES(io::load_npz(ro + "/c.npz")[0].second, {1}, {1});
    }
    CHECK(test::read_bytes(p) == good);
    for (const std::string& name : dir.entries()) CHECK(name.find(".tmp.") == std::string::npos);
}

TEST_CASE("load_npz: missing file, not a zip, an entry that is not .npy") {
    test::ScratchDir dir;
    const std::string p = dir.file("x.npz");
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {"load_npz()", p, "No such file"});
    test::write_bytes(p, "this is not a zip archive, just some text of reasonable length");
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {"load_npz()", p, "not a zip archive"});
    make_zip(p, {{"w.npy", npy({1}, {1})}, {"readme.txt", "hello"}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "'readme.txt'", "not a .npy array"});
    // What torch.save writes: a zip of pickles. The message says so, and how to export.
    make_zip(p, {{"model/data.pkl", "\x80\x02}q\x00."}, {"model/version", "3\n"}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {p, "'model/data.pkl'", "Python pickle", "PyTorch torch.save file", "numpy.savez"});
    // Two entries of one name (libzip will not write that: rename "x.npy" in the raw bytes).
    make_zip(p, {{"w.npy", npy({1}, {1})}, {"x.npy", npy({1}, {2})}});
    std::string raw = test::read_bytes(p);
    for (size_t at; (at = raw.find("x.npy")) != std::string::npos;) raw[at] = 'w';
    test::write_bytes(p, raw);
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "'w'", "twice"});
}

TEST_CASE("load_npz: bad NPY magic, version and header") {
    test::ScratchDir dir;
    const std::string p = dir.file("x.npz");
    std::string entry = npy({2}, {1, 2});
    entry[5] = 'Z';
    make_zip(p, {{"w.npy", entry}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'", "bad magic"});
    entry = npy({2}, {1, 2});
    entry[6] = 9;
    make_zip(p, {{"w.npy", entry}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'", "NPY version 9.0"});
    make_zip(p, {{"w.npy",
                  npy_with_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (2 2)}", 8)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'", "unparsable NPY header"});
    make_zip(p, {{"w.npy", std::string("\x93NUMP", 5)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'", "5 bytes", "too short"});
    // A header length longer than the whole entry.
    entry = npy({2}, {1, 2});
    entry[8] = '\xff', entry[9] = '\xff';
    make_zip(p, {{"w.npy", entry}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'", "65535 bytes", "longer than"});
}

TEST_CASE("load_npz: wrong dtype, Fortran order, shape and size that disagree") {
    test::ScratchDir dir;
    const std::string p = dir.file("x.npz");
    // '<f8' is read since tensors have dtypes; float16 is not.
    make_zip(p, {{"fc.weight.npy", npy_with_dict(dict_of("<f2", "False", "(2,)"), 4)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {p, "key 'fc.weight'", "dtype '<f2'", "'<f4'", ".astype(np.float32)"});
    make_zip(p, {{"w.npy", npy_with_dict(dict_of(">f4", "False", "(2,)"), 8)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {"dtype '>f4'", "big-endian", ".astype('<f4')"});
    make_zip(p, {{"w.npy", npy_with_dict(dict_of("<f4", "True", "(2, 3)"), 24)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'", "fortran_order True"});
    make_zip(p, {{"ok.npy", npy({1}, {1})},
                 {"w.npy", npy_with_dict(dict_of("<f4", "False", "(2, 3)"), 20)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {p, "key 'w'", "shape (2, 3)", "needs 24 bytes", "holds 20"});
    make_zip(p, {{"w.npy", npy_with_dict(dict_of("<f4", "False", "()"), 8)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {"shape ()", "needs 4 bytes", "holds 8"});
    // A lying shape fails on the size check, before anything of its size is allocated.
    make_zip(p, {{"w.npy", npy_with_dict(dict_of("<f4", "False", "(1073741824, 1048576)"), 24)}},
             true);
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {"shape (1073741824, 1048576)", "needs 4503599627370496 bytes", "holds 24"});
    make_zip(p, {{"w.npy", npy_with_dict(dict_of("<f4", "False", "(4294967296, 4294967296)"), 4)}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {"overflows a 64-bit size"});
}

TEST_CASE("load_npz: an encrypted entry is refused by name, without a crash") {
    test::ScratchDir dir;
    const std::string p = dir.file("x.npz");
    const std::string entry = npy({2}, {1, 2});
    // Written by libzip itself, with every method this build of libzip can encrypt with.
    for (const uint16_t method : {ZIP_EM_AES_256, ZIP_EM_TRAD_PKWARE}) {
        if (!zip_encryption_method_supported(method, 1)) continue;
        CAPTURE(method);
        int err = 0;
        zip_t* za = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
        REQUIRE(za != nullptr);
        zip_source_t* src = zip_source_buffer(za, entry.data(), entry.size(), 0);
        const zip_int64_t i = zip_file_add(za, "w.npy", src, 0);
        REQUIRE(i >= 0);
        REQUIRE(zip_file_set_encryption(za, zip_uint64_t(i), method, "secret") == 0);
        REQUIRE(zip_close(za) == 0);
        CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                    {"load_npz()", p, "key 'w'", "File 'w.npy' is encrypted"});
    }
    // The encryption bit of the entry's flags set by hand (traditional PKWARE).
    RawEntry e;
    e.data = entry, e.flags = 1, e.size = e.comp_size = entry.size(), e.crc = crc_of(entry);
    test::write_bytes(p, raw_zip(e));
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "File 'w.npy' is encrypted"});
}

TEST_CASE("load_npz: an unsupported compression method or a bad local header is an IOError") {
    test::ScratchDir dir;
    const std::string p = dir.file("x.npz");
    const std::string entry = npy({2}, {1, 2});
    RawEntry e;
    e.data = entry, e.size = e.comp_size = entry.size(), e.crc = crc_of(entry);
    e.method = 6;  // "imploded", which libzip cannot decompress
    test::write_bytes(p, raw_zip(e));
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {p, "key 'w'", "compression method 6", "not supported"});
    // A libzip archive whose local header gives an extra field running past the end of the file:
    // the directory is fine, reading the entry fails. (An entry libzip refuses to open crashed in
    // ZipEntry's destructor, zip_fclose(NULL): the unsupported method above did.)
    make_zip(p, {{"w.npy", entry}});
    std::string raw = test::read_bytes(p);
    raw[28] = raw[29] = '\xff';
    test::write_bytes(p, raw);
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'", "cannot read the NPY magic"});
}

TEST_CASE("load_npz: sizes the zip directory claims are bounded by the file before allocating") {
    test::ScratchDir dir;
    const std::string p = dir.file("bomb.npz");
    // A stored entry whose NPY shape and directory both claim 16 GiB, in a file of a few hundred
    // bytes: refused before anything of that size is allocated.
    const std::string header = npy_with_dict(dict_of("<f4", "False", "(4294967296,)"), 16);
    RawEntry e;
    e.data = header, e.crc = crc_of(header);
    e.size = e.comp_size = (uint64_t{16} << 30) + 128;
    test::write_bytes(p, raw_zip(e));
    CHECK(test::read_bytes(p).size() < 400);
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {p, "key 'w'", "claims 17179869312 compressed bytes", "the file has"});
    // Stored, with a compressed size that fits in the file but an uncompressed size that does not.
    e.comp_size = header.size();
    test::write_bytes(p, raw_zip(e));
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {"stored entry 'w.npy'", "claims 17179869312 bytes", "holds 144"});
    // Deflated, claiming 64 GiB (this was std::bad_alloc): more than 1032:1 is a zip bomb.
    const std::string big = npy_with_dict(dict_of("<f4", "False", "(17179869184,)"), 4096);
    e.data = deflate_raw(big), e.method = 8, e.crc = crc_of(big);
    e.comp_size = e.data.size(), e.size = (uint64_t{64} << 30) + 128;
    test::write_bytes(p, raw_zip(e));
    CHECK_ERROR(IOError, [&] { io::load_npz(p); },
                {"claims 68719476864 bytes from", "1032:1", "zip bomb"});
    // Within the ratio but longer than the stream: a truncated entry, refused as such.
    e.size = big.size() + 4096;
    test::write_bytes(p, raw_zip(e));
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {p, "key 'w'"});
    // An NPY header longer than NumPy's max_header_size.
    const std::string long_header =
        npy_with_dict(dict_of("<f4", "False", "(2,)") + std::string(20000, ' '), 8);
    make_zip(p, {{"w.npy", long_header}});
    CHECK_ERROR(IOError, [&] { io::load_npz(p); }, {"NPY header of", "max_header_size"});
}
