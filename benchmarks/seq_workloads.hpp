// The sequence workloads' data, shared by bench_seq and mirrored line for line by torch_seq.py, so
// both sides train on the same tokens in the same order: the fortunes corpus as data::TextCorpus
// reads it (sorted byte vocabulary, the last 10% held out), W5's 32 contiguous streams, W6's
// windows drawn by one LCG, and the fixed validation windows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <descent/data/text_corpus.hpp>

namespace bench {

// The corpus as both sides read it: data::TextCorpus over the fortunes files (the library's
// loader, with its checks), 10% held out, the tokens as plain vectors for the window helpers below.
struct Corpus {
    std::vector<int64_t> train, val;  // token ids
    int64_t vocab = 0;
};

inline Corpus load_corpus(const std::string& dir) {
    const descent::data::TextCorpus text(descent::data::TextCorpus::fortunes_files(dir));
    return {text.train_tokens(0.1).to_vector<int64_t>(),
            text.validation_tokens(0.1).to_vector<int64_t>(), text.vocabulary().size()};
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
