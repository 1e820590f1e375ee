// save_npz and load_npz over libzip: one .npy entry per tensor, streamed in and out.
#include "descent/io/npz.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/io/npy.hpp"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "NPY '<f4', '<i8' are written as raw memory");
static_assert(sizeof(bool) == 1, "NPY '|b1' is written as raw memory");

namespace descent::io {

namespace {

// One entry being written: its NPY header, then the tensor's values, streamed to libzip from the
// tensor's own memory (no copy of the state dict).
struct EntrySource {
    std::string header;
    const char* data = nullptr;
    uint64_t data_size = 0;
    uint64_t pos = 0;
    uint64_t total() const { return header.size() + data_size; }
};

// libzip's source callback protocol (zip_source_function(3)).
zip_int64_t read_entry(void* state, void* out, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* e = static_cast<EntrySource*>(state);
    switch (cmd) {
        case ZIP_SOURCE_OPEN: e->pos = 0; return 0;
        case ZIP_SOURCE_READ: {
            auto* dst = static_cast<char*>(out);
            const uint64_t n = std::min<uint64_t>(len, e->total() - e->pos);
            for (uint64_t done = 0; done < n;) {
                const uint64_t at = e->pos + done;
                const bool in_header = at < e->header.size();
                const char* src =
                    in_header ? e->header.data() + at : e->data + (at - e->header.size());
                const uint64_t avail = in_header ? e->header.size() - at : e->total() - at;
                const uint64_t k = std::min(avail, n - done);
                std::memcpy(dst + done, src, k);
                done += k;
            }
            e->pos += n;
            return static_cast<zip_int64_t>(n);
        }
        case ZIP_SOURCE_CLOSE: return 0;
        case ZIP_SOURCE_STAT: {
            auto* st = static_cast<zip_stat_t*>(out);
            zip_stat_init(st);
            st->size = e->total();
            st->valid |= ZIP_STAT_SIZE;
            return sizeof(zip_stat_t);
        }
        case ZIP_SOURCE_ERROR: {
            // Reading memory never fails: report "no error".
            std::memset(out, 0, 2 * sizeof(int));
            return 2 * sizeof(int);
        }
        case ZIP_SOURCE_FREE: return 0;
        case ZIP_SOURCE_SUPPORTS:
            return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
                                                  ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                                  ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
        default: return -1;
    }
}

std::string zip_open_error(int code) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string msg = code == ZIP_ER_NOZIP ? "not a zip archive" : zip_error_strerror(&e);
    zip_error_fini(&e);
    return msg;
}

struct ZipArchive {
    zip_t* za;
    ~ZipArchive() {
        if (za) zip_discard(za);
    }
};
struct ZipEntry {
    zip_file_t* f;
    ~ZipEntry() {
        if (f) zip_fclose(f);  // null when zip_fopen_index refused the entry
    }
};

// Deflate's best case is 1032:1 (258-byte matches coded in 2 bits); NumPy's zip-bomb reasoning
// allows no more. An entry claiming more than this many bytes per compressed byte is refused.
constexpr int64_t max_ratio = 1032;
// NumPy's default max_header_size: a longer NPY header is refused before it is read.
constexpr int64_t max_header_len = 10000;
// The data is read in pieces of this size, so a stream that ends early has touched (and made the
// kernel commit) only the pages it filled.
constexpr int64_t read_piece = int64_t{16} << 20;

// The checks that need only the central directory: what an entry claims must fit in the file.
// Runs before the entry is opened, so nothing is allocated on the claim.
void check_claims(const zip_stat_t& st, int64_t file_size, const std::string& where,
                  const std::string& entry) {
    constexpr zip_uint64_t needed = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
    DESCENT_CHECK((st.valid & needed) == needed, IOError, where,
                  ": the zip directory gives no sizes or method for '", entry, "'");
    DESCENT_CHECK(!(st.valid & ZIP_STAT_ENCRYPTION_METHOD) || st.encryption_method == ZIP_EM_NONE,
                  IOError, where, ": File '", entry, "' is encrypted (method ",
                  st.encryption_method, "); .npz entries are read without a password");
    DESCENT_CHECK(zip_compression_method_supported(st.comp_method, 0), IOError, where, ": entry '",
                  entry, "' uses compression method ", st.comp_method,
                  ", which is not supported (stored or deflated only)");
    const int64_t size = static_cast<int64_t>(st.size), comp = static_cast<int64_t>(st.comp_size);
    DESCENT_CHECK(st.comp_size <= zip_uint64_t(file_size), IOError, where, ": entry '", entry,
                  "' claims ", st.comp_size, " compressed bytes, the file has ", file_size);
    if (st.comp_method == ZIP_CM_STORE)
        DESCENT_CHECK(size == comp, IOError, where, ": stored entry '", entry, "' claims ", st.size,
                      " bytes but holds ", comp);
    else
        DESCENT_CHECK(st.size / max_ratio <= st.comp_size, IOError, where, ": entry '", entry,
                      "' claims ", st.size, " bytes from ", comp, " compressed (more than ",
                      max_ratio, ":1, a zip bomb or a corrupt directory)");
}

// Reads exactly n bytes of an entry; `what` names them in the error.
void read_exact(zip_file_t* f, void* out, int64_t n, const std::string& where, const char* what) {
    const zip_int64_t got = zip_fread(f, out, static_cast<zip_uint64_t>(n));
    DESCENT_CHECK(got == n, IOError, where, ": cannot read the ", what, " (", n,
                  " bytes): ", got < 0 ? zip_file_strerror(f) : "entry too short");
}

}  // namespace

void save_npz(const std::string& path, const NamedTensors& tensors) {
    std::set<std::string> seen;
    std::vector<EntrySource> entries(tensors.size());
    std::vector<Tensor> dense(tensors.size());  // keeps the row-major copies of views alive
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& [name, t] = tensors[i];
        DESCENT_CHECK(!name.empty(), ValueError, "save_npz(): ", path, ": tensor ", i,
                      " has an empty name");
        DESCENT_CHECK(seen.insert(name).second, ValueError, "save_npz(): ", path,
                      ": duplicate name '", name, "'");
        DESCENT_CHECK(t.defined(), ValueError, "save_npz(): ", path, ": tensor '", name,
                      "' is undefined");
        entries[i].header = npy_header(t.shape(), t.dtype());  // each tensor its own dtype
        dense[i] = descent::detail::dense(t);  // a view is written as its values, row-major
        entries[i].data = static_cast<const char*>(dense[i].impl()->first_raw());
        entries[i].data_size = static_cast<uint64_t>(t.numel() * t.element_size());
    }

    descent::detail::AtomicFile file(path, "save_npz");
    if (tensors.empty()) {
        // libzip deletes an archive left empty; numpy.savez() writes just the end record.
        const std::string end_record = std::string("PK\x05\x06", 4) + std::string(18, '\0');
        DESCENT_CHECK(::write(file.fd(), end_record.data(), end_record.size()) == 22, IOError,
                      "save_npz(): cannot write ", file.temp_path(), ": ", std::strerror(errno));
        return file.commit();
    }
    file.close();  // libzip writes the temporary file by path
    int code = 0;
    ZipArchive archive{zip_open(file.temp_path().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code)};
    DESCENT_CHECK(archive.za, IOError, "save_npz(): cannot write ", file.temp_path(), ": ",
                  zip_open_error(code));
    for (size_t i = 0; i < tensors.size(); ++i) {
        const std::string entry = tensors[i].first + ".npy";
        zip_source_t* src = zip_source_function(archive.za, read_entry, &entries[i]);
        const zip_int64_t index =
            src ? zip_file_add(archive.za, entry.c_str(), src, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0 && src) zip_source_free(src);
        // Stored, not deflated, as numpy.savez: float weights barely compress.
        DESCENT_CHECK(
            index >= 0 && zip_set_file_compression(archive.za, static_cast<zip_uint64_t>(index),
                                                   ZIP_CM_STORE, 0) == 0,
            IOError, "save_npz(): ", path, ": cannot add entry '", entry,
            "': ", zip_strerror(archive.za));
    }
    const bool closed = zip_close(archive.za) == 0;
    DESCENT_CHECK(closed, IOError, "save_npz(): cannot write ", path, ": ",
                  zip_strerror(archive.za));
    archive.za = nullptr;
    file.commit();
}

NamedTensors load_npz(const std::string& path) {
    int code = 0;
    ZipArchive archive{zip_open(path.c_str(), ZIP_RDONLY, &code)};
    DESCENT_CHECK(archive.za, IOError, "load_npz(): cannot read ", path, ": ",
                  zip_open_error(code));
    struct stat file {};
    DESCENT_CHECK(::stat(path.c_str(), &file) == 0, IOError, "load_npz(): cannot read ", path, ": ",
                  std::strerror(errno));
    NamedTensors out;
    std::set<std::string> seen;
    const zip_int64_t entries = zip_get_num_entries(archive.za, 0);
    for (zip_int64_t i = 0; i < entries; ++i) {
        zip_stat_t st;
        DESCENT_CHECK(zip_stat_index(archive.za, i, 0, &st) == 0, IOError, "load_npz(): ", path,
                      ": entry ", i, ": ", zip_strerror(archive.za));
        const std::string entry = st.name;
        // torch.save writes a zip too, of pickles ("<name>/data.pkl"): say what it is and how to
        // export it, rather than only that it is no .npy (docs/state-dict-format.md).
        const bool pickle = entry.size() >= 4 && entry.compare(entry.size() - 4, 4, ".pkl") == 0;
        DESCENT_CHECK(!pickle, IOError, "load_npz(): ", path, ": entry '", entry,
                      "' is a Python pickle: this looks like a PyTorch torch.save file, not an "
                      ".npz; export it with numpy.savez (docs/state-dict-format.md)");
        DESCENT_CHECK(entry.size() > 4 && entry.compare(entry.size() - 4, 4, ".npy") == 0, IOError,
                      "load_npz(): ", path, ": entry '", entry, "' is not a .npy array");
        const std::string key = entry.substr(0, entry.size() - 4);
        const std::string where = descent::detail::cat("load_npz(): ", path, ": key '", key, "'");
        DESCENT_CHECK(seen.insert(key).second, IOError, where, ": appears twice");
        check_claims(st, file.st_size, where, entry);
        const int64_t size = static_cast<int64_t>(st.size);  // uncompressed, now bounded

        ZipEntry f{zip_fopen_index(archive.za, i, 0)};
        DESCENT_CHECK(f.f, IOError, where, ": cannot open entry '", entry,
                      "': ", zip_strerror(archive.za));
        uint8_t prefix[12];
        DESCENT_CHECK(size >= detail::npy_magic_size + 2, IOError, where, ": ", size,
                      " bytes, too short for an NPY header");
        read_exact(f.f, prefix, detail::npy_magic_size, where, "NPY magic");
        const int field = detail::npy_length_field_size(prefix, where);
        read_exact(f.f, prefix + 8, field, where, "NPY header length");
        int64_t header_len = 0;
        for (int b = field - 1; b >= 0; --b) header_len = header_len << 8 | prefix[8 + b];
        DESCENT_CHECK(header_len <= max_header_len, IOError, where, ": NPY header of ", header_len,
                      " bytes is longer than ", max_header_len, " (NumPy's max_header_size)");
        const int64_t data_size = size - 8 - field - header_len;
        DESCENT_CHECK(data_size >= 0, IOError, where, ": NPY header of ", header_len,
                      " bytes is longer than the ", size, "-byte entry");
        std::string text(static_cast<size_t>(header_len), '\0');
        read_exact(f.f, text.data(), header_len, where, "NPY header");
        const NpyHeader h = detail::parse_npy_dict(text, where);

        const ScalarType dtype = detail::npy_dtype(h.descr, where);
        DESCENT_CHECK(!h.fortran_order, IOError, where,
                      ": fortran_order True is not supported; save a C-order array");
        const Shape shape(h.shape.begin(), h.shape.end());
        int64_t bytes = element_size(dtype);
        for (int64_t d : h.shape)
            DESCENT_CHECK(!__builtin_mul_overflow(bytes, d, &bytes), IOError, where, ": shape ",
                          shape, " overflows a 64-bit size");
        DESCENT_CHECK(bytes == data_size, IOError, where, ": shape ", shape, " needs ", bytes,
                      " bytes of data, the entry holds ", data_size);

        Tensor t = make_tensor(shape, dtype);
        auto* data = static_cast<uint8_t*>(t.impl()->first_raw());
        for (int64_t at = 0; at < bytes; at += read_piece)
            read_exact(f.f, data + at, std::min(read_piece, bytes - at), where, "data");
        // A bool byte other than 0 or 1 is no bool C++ may read (NumPy writes only these).
        if (dtype == kBool)
            for (int64_t k = 0; k < bytes; ++k)
                DESCENT_CHECK(data[k] <= 1, IOError, where, ": bool element ", k, " is byte ",
                              int(data[k]), ", not 0 or 1");
        // One more read reaches the end of the entry, where libzip checks its CRC.
        uint8_t extra;
        const zip_int64_t more = zip_fread(f.f, &extra, 1);
        DESCENT_CHECK(more == 0, IOError, where, ": ",
                      more < 0 ? zip_file_strerror(f.f) : "data longer than its stated size");
        out.emplace_back(key, std::move(t));
    }
    return out;
}

}  // namespace descent::io
