// Structure-aware mutation for the .npz targets: an input that libzip can open is taken apart into
// its entries, one entry's bytes (NPY header or data) or name is mutated by libFuzzer, and the
// archive is written again with valid CRCs and sizes, so mutations reach the NPY and state-dict
// checks instead of dying at the zip layer. Anything else gets libFuzzer's plain byte mutation.
#pragma once

#include <zip.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace fuzz {

using Entries = std::vector<std::pair<std::string, std::string>>;

inline bool unzip(const uint8_t* data, size_t size, Entries& out) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(data, size, 0, &err);
    zip_t* za = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
    zip_error_fini(&err);
    if (!za) {
        if (src) zip_source_free(src);
        return false;
    }
    bool ok = true;
    for (zip_int64_t i = 0; ok && i < zip_get_num_entries(za, 0); ++i) {
        zip_stat_t st;
        zip_file_t* f = nullptr;
        ok = zip_stat_index(za, i, 0, &st) == 0 && st.size < (1u << 20) &&
             (f = zip_fopen_index(za, i, 0)) != nullptr;
        std::string bytes(ok ? st.size : 0, '\0');
        ok = ok && zip_fread(f, bytes.data(), bytes.size()) == zip_int64_t(bytes.size());
        if (f) zip_fclose(f);
        if (ok) out.emplace_back(st.name, std::move(bytes));
    }
    zip_discard(za);
    return ok;
}

inline std::string rezip(const Entries& entries) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &err);
    zip_source_keep(out);
    zip_t* za = zip_open_from_source(out, ZIP_TRUNCATE, &err);
    zip_error_fini(&err);
    std::string bytes;
    if (!za) {
        zip_source_free(out);
        return bytes;
    }
    for (const auto& [name, data] : entries) {
        zip_source_t* s = zip_source_buffer(za, data.data(), data.size(), 0);
        const zip_int64_t i = s ? zip_file_add(za, name.c_str(), s, ZIP_FL_OVERWRITE) : -1;
        if (i < 0 && s) zip_source_free(s);
        if (i >= 0) zip_set_file_compression(za, zip_uint64_t(i), ZIP_CM_STORE, 0);
    }
    if (zip_close(za) != 0) zip_discard(za);
    zip_stat_t st;
    if (zip_source_stat(out, &st) == 0 && zip_source_open(out) == 0) {
        bytes.resize(st.size);
        if (zip_source_read(out, bytes.data(), st.size) != zip_int64_t(st.size)) bytes.clear();
        zip_source_close(out);
    }
    zip_source_free(out);
    return bytes;
}

// libFuzzer's custom mutator body: structure-aware half of the time on a valid archive.
inline size_t mutate_npz(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
    std::minstd_rand rng(seed);
    Entries entries;
    if (rng() % 2 == 0 || !unzip(data, size, entries) || entries.empty())
        return LLVMFuzzerMutate(data, size, max_size);
    auto& [name, bytes] = entries[rng() % entries.size()];
    std::string& target = rng() % 8 == 0 ? name : bytes;
    // Mostly the NPY header (the first 128 bytes), where the shape and dtype live.
    const size_t keep = target.size();
    target.resize(keep + 64);
    const size_t n =
        LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(target.data()), keep, target.size());
    target.resize(n);
    if (rng() % 16 == 0) entries.pop_back();
    // (pop_back may have emptied the list: front() of an empty vector was read here, which ASan
    // caught in CI as a heap-buffer-overflow inside this mutator, not in descent)
    if (!entries.empty() && rng() % 16 == 0) entries.push_back(entries.front());
    const std::string out = rezip(entries);
    if (out.empty() || out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
    std::memcpy(data, out.data(), out.size());
    return out.size();
}

}  // namespace fuzz
