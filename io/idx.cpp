// Reading and writing IDX files, plain or gzip, with every header claim checked against the
// file's real size before anything is allocated.
#include "descent/io/idx.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <sstream>

#include "descent/core/error.hpp"
#include "descent/core/atomic_file.hpp"

namespace descent::io {

namespace {

constexpr int unsigned_byte = 0x08;
constexpr int64_t chunk = int64_t{1} << 20;  // gzip buffer and growth step

// The IDX type codes, for error messages.
const char* type_name(int code) {
    switch (code) {
        case 0x08: return "unsigned byte";
        case 0x09: return "signed byte";
        case 0x0B: return "short";
        case 0x0C: return "int";
        case 0x0D: return "float";
        case 0x0E: return "double";
        default: return "not an IDX type";
    }
}

std::string hex(int byte) {
    std::ostringstream s;
    s << "0x" << std::hex << (byte < 16 ? "0" : "") << byte;
    return s.str();
}

std::string dims_str(const std::vector<int64_t>& dims) {
    std::ostringstream s;
    s << "(";
    for (size_t i = 0; i < dims.size(); ++i) s << (i ? ", " : "") << dims[i];
    s << ")";
    return s.str();
}

// The file's bytes, inflated when it is gzip (one member or several concatenated, as gzip -d
// reads them). zlib's gzread ignores whatever follows the last member when it is not another gzip
// member; here such bytes are refused, as the plain reader refuses trailing bytes.
class Reader {
public:
    Reader(const std::string& path, int64_t file_size) : path_(path), left_(file_size) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        DESCENT_CHECK(fd_ >= 0, IOError, "read_idx(): cannot open ", path, ": ",
                      std::strerror(errno));
        fill();
        gzip_ = z_.avail_in >= 2 && in_[0] == 0x1f && in_[1] == 0x8b;
        if (gzip_)
            DESCENT_CHECK(inflateInit2(&z_, 15 + 16) == Z_OK, IOError, "read_idx(): ", path,
                          ": cannot start zlib");
    }
    ~Reader() {
        if (gzip_) inflateEnd(&z_);
        ::close(fd_);
    }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    bool gzip() const { return gzip_; }

    // Up to n bytes; fewer only at the end of the data. A corrupt or truncated gzip stream throws,
    // and so do bytes after the last gzip member that do not start another one.
    int64_t read(uint8_t* out, int64_t n) {
        int64_t got = 0;
        while (got < n && !ended_) {
            if (z_.avail_in == 0) fill();
            if (!gzip_) {
                const int64_t k = std::min<int64_t>(n - got, z_.avail_in);
                if (k == 0) break;
                std::memcpy(out + got, z_.next_in, static_cast<size_t>(k));
                z_.next_in += k, z_.avail_in -= static_cast<unsigned>(k), got += k;
                continue;
            }
            DESCENT_CHECK(z_.avail_in > 0, IOError, "read_idx(): ", path_,
                          ": corrupt gzip stream (unexpected end of file)");
            const unsigned want = static_cast<unsigned>(std::min<int64_t>(n - got, INT_MAX / 2));
            z_.next_out = out + got;
            z_.avail_out = want;
            const int r = inflate(&z_, Z_NO_FLUSH);
            got += want - z_.avail_out;
            DESCENT_CHECK(r == Z_OK || r == Z_STREAM_END || (r == Z_BUF_ERROR && z_.avail_in == 0),
                          IOError, "read_idx(): ", path_, ": corrupt gzip stream (",
                          z_.msg ? z_.msg : zError(r), ")");
            if (r == Z_STREAM_END) next_member();
        }
        return got;
    }

private:
    // After a member's end: the end of the file, another member, or trailing bytes.
    void next_member() {
        if (z_.avail_in < 2) fill();
        if (z_.avail_in == 0) {
            ended_ = true;
            return;
        }
        const int64_t trailing = z_.avail_in + left_;
        DESCENT_CHECK(z_.avail_in >= 2 && z_.next_in[0] == 0x1f && z_.next_in[1] == 0x8b, IOError,
                      "read_idx(): ", path_, ": ", trailing,
                      " trailing bytes after the gzip stream (not another gzip member)");
        inflateReset(&z_);
    }

    // Moves unread input to the front of the buffer and reads more behind it.
    void fill() {
        if (z_.avail_in > 0 && z_.next_in != in_.data())
            std::memmove(in_.data(), z_.next_in, z_.avail_in);
        z_.next_in = in_.data();
        while (z_.avail_in < in_.size() && left_ > 0) {
            const ssize_t r = ::read(fd_, in_.data() + z_.avail_in, in_.size() - z_.avail_in);
            if (r < 0 && errno == EINTR) continue;
            DESCENT_CHECK(r > 0, IOError, "read_idx(): ", path_, ": read failed",
                          r < 0 ? ": " : " (the file shrank while being read)",
                          r < 0 ? std::strerror(errno) : "");
            z_.avail_in += static_cast<unsigned>(r);
            left_ -= r;
        }
    }

    const std::string& path_;
    int64_t left_;  // bytes of the file not read yet
    int fd_ = -1;
    bool gzip_ = false, ended_ = false;
    z_stream z_{};
    std::vector<uint8_t> in_ = std::vector<uint8_t>(size_t{1} << 16);  // compressed input
};

}  // namespace

IdxArray read_idx(const std::string& path) {
    struct stat st {};
    DESCENT_CHECK(::stat(path.c_str(), &st) == 0, IOError, "read_idx(): cannot open ", path, ": ",
                  std::strerror(errno));
    DESCENT_CHECK(S_ISREG(st.st_mode), IOError, "read_idx(): ", path, " is not a regular file");
    const int64_t file_size = st.st_size;

    Reader in(path, file_size);
    const bool gzip = in.gzip();  // the magic bytes 1f 8b

    // Header: 0, 0, type code, ndim, then ndim big-endian u32 sizes.
    uint8_t magic[4];
    const int64_t got_magic = in.read(magic, 4);
    DESCENT_CHECK(got_magic == 4, IOError, "read_idx(): ", path, ": ", got_magic,
                  " bytes, shorter than the 4-byte IDX magic");
    DESCENT_CHECK(magic[0] == 0 && magic[1] == 0, IOError, "read_idx(): ", path,
                  ": not an IDX file (magic starts ", hex(magic[0]), " ", hex(magic[1]),
                  ", expected 0x00 0x00)");
    DESCENT_CHECK(magic[2] == unsigned_byte, IOError, "read_idx(): ", path, ": type code ",
                  hex(magic[2]), " (", type_name(magic[2]),
                  ") is not supported; only 0x08 (unsigned byte)");
    const int ndim = magic[3];
    DESCENT_CHECK(ndim >= 1 && ndim <= 4, IOError, "read_idx(): ", path, ": ", ndim,
                  " dims in the header; expected 1 to 4");

    uint8_t raw[16];
    const int64_t header = 4 + 4 * ndim;
    const int64_t got_dims = in.read(raw, 4 * ndim);
    DESCENT_CHECK(got_dims == 4 * ndim, IOError, "read_idx(): ", path, ": header truncated: ", ndim,
                  " dims need ", header, " bytes, the ", gzip ? "decompressed " : "", "file has ",
                  4 + got_dims);
    IdxArray out;
    int64_t claimed = 1;
    for (int d = 0; d < ndim; ++d) {
        const uint8_t* b = raw + 4 * d;
        out.dims.push_back(int64_t{b[0]} << 24 | int64_t{b[1]} << 16 | int64_t{b[2]} << 8 | b[3]);
        DESCENT_CHECK(!__builtin_mul_overflow(claimed, out.dims.back(), &claimed), IOError,
                      "read_idx(): ", path, ": header dims ", dims_str(out.dims),
                      " overflow a 64-bit size");
    }

    // Compare the claim with what is there before allocating anything of its size.
    if (!gzip) {
        const int64_t present = file_size - header;
        DESCENT_CHECK(present == claimed, IOError, "read_idx(): ", path, ": header dims ",
                      dims_str(out.dims), " claim ", claimed, " bytes of data, the file holds ",
                      present, present < claimed ? " (truncated)" : " (trailing bytes)");
        out.data.resize(static_cast<size_t>(claimed));
        const int64_t got = in.read(out.data.data(), claimed);
        DESCENT_CHECK(got == claimed, IOError, "read_idx(): ", path, ": read ", got, " of ",
                      claimed, " bytes; the file changed while being read");
        return out;
    }
    // gzip: the decompressed size is unknown until read, so grow only as data arrives, never past
    // the claim (a 100-byte file claiming 2^40 bytes stops at the end of its stream).
    int64_t size = 0;
    while (size < claimed) {
        const int64_t cap = std::min(claimed, std::max(2 * size, chunk));
        out.data.reserve(static_cast<size_t>(cap));
        out.data.resize(static_cast<size_t>(cap));
        const int64_t got = in.read(out.data.data() + size, cap - size);
        size += got;
        if (size < cap) break;
    }
    out.data.resize(static_cast<size_t>(size));
    DESCENT_CHECK(size == claimed, IOError, "read_idx(): ", path, ": header dims ",
                  dims_str(out.dims), " claim ", claimed,
                  " bytes of data, the decompressed file holds ", size, " (truncated)");
    int64_t trailing = 0;
    uint8_t scratch[4096];
    for (int64_t r; (r = in.read(scratch, sizeof scratch)) > 0;) trailing += r;
    DESCENT_CHECK(trailing == 0, IOError, "read_idx(): ", path, ": header dims ",
                  dims_str(out.dims), " claim ", claimed,
                  " bytes of data, the decompressed file holds ", claimed + trailing,
                  " (trailing bytes)");
    return out;
}

void write_idx(const std::string& path, const IdxArray& array, bool gzip) {
    const auto& dims = array.dims;
    DESCENT_CHECK(!dims.empty() && dims.size() <= 4, ValueError, "write_idx(): ", path, ": ",
                  dims.size(), " dims; IDX holds 1 to 4");
    int64_t n = 1;
    for (int64_t d : dims) {
        DESCENT_CHECK(d >= 0 && d <= int64_t{UINT32_MAX}, ValueError, "write_idx(): ", path,
                      ": dims ", dims_str(dims), ": each must fit in an unsigned 32-bit size");
        DESCENT_CHECK(!__builtin_mul_overflow(n, d, &n), ValueError, "write_idx(): ", path,
                      ": dims ", dims_str(dims), " overflow a 64-bit size");
    }
    DESCENT_CHECK(n == static_cast<int64_t>(array.data.size()), ValueError, "write_idx(): ", path,
                  ": dims ", dims_str(dims), " hold ", n, " bytes, data has ", array.data.size());

    std::vector<uint8_t> header = {0, 0, unsigned_byte, static_cast<uint8_t>(dims.size())};
    for (int64_t d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) header.push_back(uint8_t(d >> shift));

    descent::detail::AtomicFile file(path, "write_idx");
    const auto fail = [&] {
        return descent::detail::cat("write_idx(): cannot write ", file.temp_path());
    };
    if (gzip) {
        // gzclose closes the descriptor it was given: hand it a duplicate, the file keeps its own.
        gzFile f = gzdopen(::dup(file.fd()), "wb");
        DESCENT_CHECK(f != nullptr, IOError, fail());
        gzbuffer(f, chunk);
        bool ok = gzwrite(f, header.data(), static_cast<unsigned>(header.size())) > 0;
        for (int64_t at = 0; ok && at < n; at += chunk) {
            const unsigned len = static_cast<unsigned>(std::min(chunk, n - at));
            ok = gzwrite(f, array.data.data() + at, len) == static_cast<int>(len);
        }
        // zlib reports a failed write() as Z_ERRNO and leaves the reason in errno.
        int code = Z_OK;
        std::string why = ok ? "" : gzerror(f, &code);
        if (code == Z_ERRNO) why = std::strerror(errno);
        const int closed = gzclose(f);
        if (ok && closed != Z_OK) why = closed == Z_ERRNO ? std::strerror(errno) : zError(closed);
        DESCENT_CHECK(ok && closed == Z_OK, IOError, fail(), ": ", why);
    } else {
        const auto write_all = [&](const uint8_t* p, int64_t len) {
            while (len > 0) {
                const ssize_t w = ::write(file.fd(), p, static_cast<size_t>(len));
                DESCENT_CHECK(w > 0 || errno == EINTR, IOError, fail(), ": ", std::strerror(errno));
                if (w > 0) p += w, len -= w;
            }
        };
        write_all(header.data(), static_cast<int64_t>(header.size()));
        write_all(array.data.data(), n);
    }
    file.commit();
}

Tensor read_idx_images(const std::string& path) {
    IdxArray a = read_idx(path);
    DESCENT_CHECK(a.dims.size() == 3, IOError, "read_idx_images(): ", path, " holds dims ",
                  dims_str(a.dims), "; expected 3 (images, rows, cols)");
    Tensor t = make_tensor(Shape(a.dims.begin(), a.dims.end()));
    detail::bytes_to_unit_floats(a.data.data(), t.numel(), t.data());
    return t;
}

std::vector<int64_t> read_idx_labels(const std::string& path) {
    IdxArray a = read_idx(path);
    DESCENT_CHECK(a.dims.size() == 1, IOError, "read_idx_labels(): ", path, " holds dims ",
                  dims_str(a.dims), "; expected 1 (labels)");
    return std::vector<int64_t>(a.data.begin(), a.data.end());
}

namespace detail {
void bytes_to_unit_floats(const uint8_t* in, int64_t n, float* out) {
    // [n] bytes -> [n] floats
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]) / 255.0f;
}
}  // namespace detail

}  // namespace descent::io
