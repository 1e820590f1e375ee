// The sequence workloads' data, shared by bench_seq and mirrored line for line by torch_seq.py, so
// both sides train on the same tokens in the same order: the fortunes corpus as bytes, its sorted
// byte vocabulary, a 90/10 split, W5's 32 contiguous streams, W6's windows drawn by one LCG, and
// the fixed validation windows.
#pragma once

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

struct Corpus {
    std::vector<int64_t> train, val;  // token ids
    int64_t vocab = 0;
};

// Every regular file without a '.' in its name (the text, not the .dat indexes or .u8 links), in
// name order, concatenated; tokens are the ranks of the bytes among the distinct bytes.
inline Corpus load_corpus(const std::string& dir) {
    std::vector<std::string> names;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* e = readdir(d)) {
            const std::string name = e->d_name;
            struct stat st {};
            if (name.find('.') == std::string::npos && stat((dir + "/" + name).c_str(), &st) == 0 &&
                S_ISREG(st.st_mode))
                names.push_back(name);
        }
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    std::string bytes;
    for (const std::string& name : names) {
        std::ifstream in(dir + "/" + name, std::ios::binary);
        bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (bytes.size() < 100000)
        throw std::runtime_error("corpus " + dir + ": " + std::to_string(bytes.size()) +
                                 " bytes of text, expected the fortunes package's 2 MB or more");
    std::array<int64_t, 256> rank{};
    std::array<bool, 256> seen{};
    for (char c : bytes) seen[static_cast<unsigned char>(c)] = true;
    Corpus c;
    for (int b = 0; b < 256; ++b)
        if (seen[b]) rank[b] = c.vocab++;
    const size_t split = bytes.size() * 9 / 10;
    for (size_t i = 0; i < bytes.size(); ++i)
        (i < split ? c.train : c.val).push_back(rank[static_cast<unsigned char>(bytes[i])]);
    return c;
}

// W6's window starts: a 64-bit LCG (Knuth's MMIX constants), the high bits modulo the range.
struct Lcg {
    uint64_t state;
    int64_t next(int64_t range) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<int64_t>((state >> 33) % static_cast<uint64_t>(range));
    }
};

// (inputs, targets) of B windows of T tokens: tokens [s, s+T) and [s+1, s+T+1) for each start s.
inline void windows(const std::vector<int64_t>& tokens, const std::vector<int64_t>& starts,
                    int64_t T, std::vector<int64_t>& x, std::vector<int64_t>& y) {
    x.clear();
    y.clear();
    for (int64_t s : starts) {
        x.insert(x.end(), tokens.begin() + s, tokens.begin() + s + T);
        y.insert(y.end(), tokens.begin() + s + 1, tokens.begin() + s + T + 1);
    }
}

// W5 step `step`'s starts: B streams, each a contiguous 1/B of the training tokens, read T at a
// time and wrapped when a stream runs out.
inline std::vector<int64_t> stream_starts(int64_t n_train, int64_t B, int64_t T, int64_t step) {
    const int64_t len = n_train / B, chunks = (len - 1) / T;
    std::vector<int64_t> starts;
    for (int64_t b = 0; b < B; ++b) starts.push_back(b * len + (step % chunks) * T);
    return starts;
}

// The validation batch of both workloads: 32 consecutive windows from the validation tokens' start.
inline std::vector<int64_t> val_starts(int64_t T) {
    std::vector<int64_t> starts;
    for (int64_t i = 0; i < 32; ++i) starts.push_back(i * T);
    return starts;
}

}  // namespace bench
