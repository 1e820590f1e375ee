// Lab `words` (makemore-style): three models predict the next character of English words from
// Debian's wamerican list — bigram counts, an MLP on the last 3 characters (Embedding + Linear),
// and a GRU reading the whole prefix — with their validation loss and made-up words from each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab {

struct WordsOptions {
    std::string words = "/usr/share/dict/american-english";  // one word a line (wamerican)
    double validation = 0.1;  // share of the words held out, the same for every model
    int64_t limit = 0;        // use only this many words (after shuffling); 0 = all
    int steps = 3000;         // Adam steps of the MLP and of the GRU
    int64_t batch = 128;      // contexts per MLP step; words per GRU step
    int64_t embed = 16, hidden = 128;
    double lr = 3e-3;
    int samples = 10;  // made-up words printed per model
    uint64_t seed = 1;
    bool quick = false;  // 3000 words, 400 steps
};

struct WordsModel {
    std::string name;                       // "bigram", "MLP", "GRU"
    double validation_loss = 0;             // nats per character (the end token counted)
    std::vector<double> curve_step, curve;  // validation loss during training (not the bigram)
    std::vector<std::string> samples;
};

struct WordsResult {
    int64_t train_words = 0, validation_words = 0, validation_characters = 0;
    WordsModel bigram, mlp, gru;
};

WordsResult run_words(const WordsOptions& options, Output& out);

}  // namespace lab
