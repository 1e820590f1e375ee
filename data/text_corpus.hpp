// TextCorpus: the bytes of one or more text files as one int64 token tensor over their sorted
// distinct bytes (a CharVocabulary), with a train / validation split. The default corpus is
// Debian's `fortunes` package (/usr/share/games/fortunes, about 2.6 MB of English).
#pragma once

#include <string>
#include <vector>

#include "descent/core/tensor.hpp"
#include "descent/data/char_vocabulary.hpp"

namespace descent::data {

class TextCorpus {
public:
    // Reads and concatenates the files in order. IOError for a file that cannot be read (naming
    // it and why); ValueError for an empty file, or a binary one (a NUL byte, or more than 10% of
    // its bytes control characters other than tab, newline, CR, form feed and escape).
    explicit TextCorpus(const std::vector<std::string>& paths);
    // A corpus of a string (what the files would hold); ValueError if it is empty or binary.
    static TextCorpus of_text(const std::string& text, const std::string& name = "text");
    // The plain-text fortune files of `dir`, sorted (not the .dat indexes nor the .u8 links);
    // IOError if there are none, naming the package to install.
    static std::vector<std::string> fortunes_files(
        const std::string& dir = "/usr/share/games/fortunes");

    const std::string& text() const { return text_; }
    const Tensor& tokens() const { return tokens_; }  // int64 (T)
    const CharVocabulary& vocabulary() const { return vocabulary_; }
    int64_t size() const { return tokens_.numel(); }
    const std::vector<std::string>& sources() const { return names_; }  // files, in order

    // The first (1 - validation_fraction) of the tokens and the rest (views of tokens()), as
    // contiguous pieces so that neither half sees the other's text. ValueError unless
    // 0 <= validation_fraction < 1.
    Tensor train_tokens(double validation_fraction) const;
    Tensor validation_tokens(double validation_fraction) const;

private:
    TextCorpus() = default;
    void finish();  // checks the text and makes the vocabulary and tokens
    int64_t split_point(double validation_fraction, const char* op) const;

    std::string text_;
    std::vector<std::string> names_;
    CharVocabulary vocabulary_;
    Tensor tokens_;
};

}  // namespace descent::data
