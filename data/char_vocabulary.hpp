// CharVocabulary: the sorted distinct bytes of a text, each byte's token id its rank, so a text
// becomes an int64 token tensor and back. It travels with a model as an int64 tensor of the bytes
// (to_tensor / from_tensor), e.g. a "vocabulary" buffer in the model's state dict.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::data {

class CharVocabulary {
public:
    CharVocabulary() = default;
    // The distinct bytes of `text`, sorted.
    static CharVocabulary of_text(const std::string& text);
    // From to_tensor(): ValueError unless an int64 (V) tensor of distinct bytes in [0, 255],
    // increasing, V >= 1.
    static CharVocabulary from_tensor(const Tensor& bytes);
    Tensor to_tensor() const;  // int64 (V): the bytes, increasing

    int64_t size() const { return static_cast<int64_t>(bytes_.size()); }
    const std::vector<unsigned char>& bytes() const { return bytes_; }
    bool contains(unsigned char c) const { return id_[c] >= 0; }
    // text -> int64 (len) token ids; ValueError naming the first byte outside the vocabulary.
    Tensor encode(const std::string& text) const;
    // int64 token ids of any shape, read in order -> text; ValueError for an id outside [0, V).
    std::string decode(const Tensor& ids) const;

private:
    std::vector<unsigned char> bytes_;
    std::array<int16_t, 256> id_{};  // byte -> id, -1 if absent (filled by the factories)
};

}  // namespace descent::data
