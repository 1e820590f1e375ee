// IDX files: round trips (plain and gzip, 1 to 4 dims), images and labels, and every malformed
// file the reader must refuse with an IOError naming the path and the numbers: missing, bad magic,
// unsupported type, bad ndim, truncated or trailing data (plain and gzip), a corrupt gzip stream,
// and lying headers that claim far more data than the file holds.
#include <signal.h>
#include <sys/resource.h>

#include <cstring>
#include <new>

#include "descent/io/idx.hpp"
#include "io/scratch.hpp"
#include "support.hpp"

using namespace descent;
using io::IdxArray;

namespace {

IdxArray pattern(std::vector<int64_t> dims) {
    IdxArray a{std::move(dims), {}};
    int64_t n = 1;
    for (int64_t d : a.dims) n *= d;
    for (int64_t i = 0; i < n; ++i) a.data.push_back(uint8_t(i * 37 + 11));
    return a;
}

}  // namespace

TEST_CASE("write_idx and read_idx round trip, plain and gzip, 1 to 4 dims") {
    test::ScratchDir dir;
    for (const auto& dims :
         std::vector<std::vector<int64_t>>{{5}, {3, 4}, {3, 2, 4}, {2, 1, 3, 2}}) {
        const IdxArray a = pattern(dims);
        for (bool gzip : {false, true}) {
            CAPTURE(gzip);
            const std::string path = dir.file(gzip ? "a.idx.gz" : "a.idx");
            io::write_idx(path, a, gzip);
            const IdxArray b = io::read_idx(path);
            CHECK(b.dims == a.dims);
            CHECK(b.data == a.data);
            // Plain: the 4-byte magic, 4 bytes per dim, then the data. Gzip: its magic 1f 8b.
            const std::string bytes = test::read_bytes(path);
            if (gzip) {
                CHECK(bytes.substr(0, 2) == "\x1f\x8b");
            } else {
                CHECK(bytes.size() == 4 + 4 * dims.size() + a.data.size());
                CHECK(bytes.substr(0, 4) == std::string({0, 0, 8, char(dims.size())}));
            }
        }
    }
    // An empty array (a dim of 0) is valid too.
    io::write_idx(dir.file("empty"), IdxArray{{0, 28, 28}, {}}, true);
    CHECK(io::read_idx(dir.file("empty")).dims == std::vector<int64_t>{0, 28, 28});
    // Only the three finished files are left: no temporaries.
    CHECK(dir.entries().size() == 3);
}

TEST_CASE("read_idx_images scales bytes to [0, 1], read_idx_labels keeps integers") {
    test::ScratchDir dir;
    io::write_idx(dir.file("img"), IdxArray{{2, 1, 3}, {0, 255, 51, 102, 1, 254}}, true);
    CHECK_VALUES(io::read_idx_images(dir.file("img")), {2, 1, 3},
                 {0.0f, 1.0f, 0.2f, 0.4f, 1 / 255.0f, 254 / 255.0f});
    io::write_idx(dir.file("lab"), IdxArray{{4}, {9, 0, 0, 3}}, false);
    CHECK(io::read_idx_labels(dir.file("lab")) == std::vector<int64_t>{9, 0, 0, 3});
    // Each refuses the other's shape.
    CHECK_ERROR(IOError, [&] { io::read_idx_images(dir.file("lab")); },
                {"read_idx_images()", dir.file("lab"), "(4)", "expected 3"});
    CHECK_ERROR(IOError, [&] { io::read_idx_labels(dir.file("img")); },
                {"read_idx_labels()", "(2, 1, 3)", "expected 1"});
}

TEST_CASE("read_idx: a missing file") {
    test::ScratchDir dir;
    CHECK_ERROR(IOError, [&] { io::read_idx(dir.file("nope.gz")); },
                {"read_idx()", dir.file("nope.gz"), "No such file"});
    CHECK_ERROR(IOError, [&] { io::read_idx(dir.path()); }, {dir.path(), "not a regular file"});
}

TEST_CASE("read_idx: bad magic, unsupported type, bad ndim, short header") {
    test::ScratchDir dir;
    const std::string p = dir.file("bad");
    test::write_bytes(p, std::string("\x01\x00\x08\x01\x00\x00\x00\x01\x07", 9));
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "not an IDX file", "0x01 0x00"});
    test::write_bytes(p, test::idx_header({1}, 0x0D) + "abcd");
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "type code 0x0d", "float", "not supported"});
    test::write_bytes(p, test::idx_header({1}, 0x0C) + "abcd");
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {"type code 0x0c", "(int)"});
    test::write_bytes(p, test::idx_header({}));
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "0 dims", "1 to 4"});
    test::write_bytes(p, test::idx_header({1, 1, 1, 1, 1}) + "x");
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "5 dims", "1 to 4"});
    test::write_bytes(p, std::string("\x00\x00", 2));
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "2 bytes", "4-byte IDX magic"});
    // Three dims announced, two given: the header itself is cut short.
    test::write_bytes(p, test::idx_header({3, 2, 1}).substr(0, 12));
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "header truncated", "16 bytes", "has 12"});
    // The same checks apply inside a gzip file.
    test::write_gzip(p, test::idx_header({1}, 0x0E) + "abcdefgh");
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "type code 0x0e", "double"});
}

TEST_CASE("read_idx: data shorter or longer than the header says, plain and gzip") {
    test::ScratchDir dir;
    const std::string p = dir.file("f");
    for (bool gzip : {false, true}) {
        CAPTURE(gzip);
        const auto write = [&](const std::string& bytes) {
            gzip ? test::write_gzip(p, bytes) : test::write_bytes(p, bytes);
        };
        write(test::idx_header({2, 5}) + "123456");
        CHECK_ERROR(IOError, [&] { io::read_idx(p); },
                    {p, "(2, 5)", "claim 10 bytes", "holds 6", "truncated"});
        write(test::idx_header({4}) + "1234567");
        CHECK_ERROR(IOError, [&] { io::read_idx(p); },
                    {p, "(4)", "claim 4 bytes", "holds 7", "trailing bytes"});
    }
}

TEST_CASE("read_idx: a corrupt or truncated gzip stream") {
    test::ScratchDir dir;
    const std::string p = dir.file("c.gz");
    io::write_idx(p, pattern({40, 50}), true);
    const std::string good = test::read_bytes(p);
    // Cut off the end of the compressed stream.
    test::write_bytes(p, good.substr(0, good.size() / 2));
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "corrupt gzip stream"});
    // Flip bytes in the middle of the deflate data (a CRC or a decoding error either way).
    std::string bad = good;
    for (size_t i = bad.size() / 3; i < bad.size() / 3 + 8; ++i) bad[i] = char(~bad[i]);
    test::write_bytes(p, bad);
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "corrupt gzip stream"});
}

TEST_CASE("read_idx: a lying header fails fast instead of allocating what it claims") {
    test::ScratchDir dir;
    const std::string p = dir.file("liar");
    // 2^20 x 2^20 = 2^40 bytes claimed by files of about 100 bytes.
    const std::string claim = test::idx_header({1u << 20, 1u << 20}) + std::string(88, '\x07');
    const auto refuses = [&] {
        try {
            io::read_idx(p);
        } catch (const IOError& e) {
            const std::string msg = e.what();
            return msg.find("claim 1099511627776 bytes") != std::string::npos &&
                   msg.find("truncated") != std::string::npos;
        } catch (const std::bad_alloc&) {
            return false;
        }
        return false;
    };
    test::write_bytes(p, claim);
    CHECK(refuses());
    test::write_gzip(p, claim);
    CHECK(refuses());
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "(1048576, 1048576)", "holds 88"});
    // Four dims of 2^32 - 1 do not even fit in 64 bits.
    test::write_bytes(p, test::idx_header({~0u, ~0u, ~0u, ~0u}));
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "overflow a 64-bit size"});
}

TEST_CASE("write_idx refuses dims the format cannot hold and leaves the old file alone") {
    test::ScratchDir dir;
    const std::string p = dir.file("keep");
    const IdxArray old = pattern({3, 3});
    io::write_idx(p, old, false);
    CHECK_ERROR(ValueError,
                [&] {
                    io::write_idx(p, IdxArray{{2, 2}, {1, 2, 3}}, false);
                },
                {"write_idx()", p, "(2, 2)", "4 bytes", "data has 3"});
    CHECK_ERROR(ValueError, [&] { io::write_idx(p, IdxArray{{}, {}}, true); }, {"0 dims"});
    CHECK_ERROR(ValueError,
                [&] {
                    io::write_idx(p, IdxArray{{1, 1, 1, 1, 1}, {1}}, true);
                },
                {"5 dims"});
    CHECK_ERROR(ValueError,
                [&] {
                    io::write_idx(p, IdxArray{{int64_t{1} << 32}, {}}, true);
                },
                {"unsigned 32-bit"});
    CHECK(io::read_idx(p).data == old.data);
    // A directory that does not exist: nothing to create the temporary file in.
    CHECK_ERROR(IOError, [&] { io::write_idx(dir.file("no/such/dir/x"), old, true); },
                {"write_idx()", dir.file("no/such/dir/x")});
    // Writing over a directory fails at the final rename; the temporary file is removed.
    std::filesystem::create_directory(dir.file("sub"));
    CHECK_ERROR(IOError, [&] { io::write_idx(dir.file("sub"), old, false); },
                {"write_idx()", "cannot rename", dir.file("sub")});
    CHECK(dir.entries().size() == 2);
}

TEST_CASE("read_idx: bytes after the gzip stream are refused, concatenated members are read") {
    test::ScratchDir dir;
    const std::string p = dir.file("t.gz");
    io::write_idx(p, pattern({3, 4}), true);
    const std::string good = test::read_bytes(p);
    test::write_bytes(p, good + "junk!");
    CHECK_ERROR(IOError, [&] { io::read_idx(p); },
                {"read_idx()", p, "5 trailing bytes after the gzip stream"});
    // A lone 0x1f is not another member either.
    test::write_bytes(p, good + "\x1f");
    CHECK_ERROR(IOError, [&] { io::read_idx(p); }, {p, "1 trailing bytes"});
    // Two members, as `cat a.gz b.gz` makes: gzip -d reads them as one stream, and so does
    // read_idx (the second member here holds the last 5 data bytes).
    const std::string bytes = test::idx_header({3, 4}) + "abcdefghijkl";
    test::write_gzip(p, bytes.substr(0, bytes.size() - 5));
    const std::string first = test::read_bytes(p);
    test::write_gzip(p, bytes.substr(bytes.size() - 5));
    test::write_bytes(p, first + test::read_bytes(p));
    const IdxArray a = io::read_idx(p);
    CHECK(std::string(a.data.begin(), a.data.end()) == "abcdefghijkl");
}

TEST_CASE("write_idx: a failed gzip write names errno's reason and leaves no file behind") {
    test::ScratchDir dir;
    const std::string p = dir.file("big.gz");
    IdxArray big{{1 << 20}, std::vector<uint8_t>(1 << 20)};
    for (size_t i = 0; i < big.data.size(); ++i) big.data[i] = uint8_t(i * 2654435761u >> 13);
    // A file size limit makes write() fail with EFBIG ("File too large") past 4 KiB.
    struct rlimit old {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old;
    small.rlim_cur = 4096;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    const auto message = [&](bool gzip) {
        try {
            io::write_idx(p, big, gzip);
        } catch (const IOError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string gz = message(true), plain = message(false);
    ::setrlimit(RLIMIT_FSIZE, &old);
    CHECK(gz.find("write_idx(): cannot write") != std::string::npos);
    CHECK(gz.find(std::strerror(EFBIG)) != std::string::npos);
    CHECK(plain.find(std::strerror(EFBIG)) != std::string::npos);
    CHECK(dir.entries().empty());
}
