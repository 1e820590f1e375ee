// CharVocabulary: byte <-> id tables, encode and decode.
#include "descent/data/char_vocabulary.hpp"

#include <cstring>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::data {

namespace {
// A byte shown readably in an error: 'a', or its code for a control or non-ASCII byte.
std::string shown(unsigned char c) {
    if (c >= 0x20 && c < 0x7f) return std::string("'") + char(c) + "'";
    return "byte " + std::to_string(int(c));
}
}  // namespace

CharVocabulary CharVocabulary::of_text(const std::string& text) {
    std::array<bool, 256> seen{};
    for (char c : text) seen[static_cast<unsigned char>(c)] = true;
    CharVocabulary v;
    v.id_.fill(-1);
    for (int b = 0; b < 256; ++b)
        if (seen[b]) {
            v.id_[b] = static_cast<int16_t>(v.bytes_.size());
            v.bytes_.push_back(static_cast<unsigned char>(b));
        }
    return v;
}

CharVocabulary CharVocabulary::from_tensor(const Tensor& t) {
    DESCENT_CHECK(t.defined() && t.dtype() == kInt64 && t.dim() == 1 && t.numel() >= 1, ValueError,
                  "CharVocabulary::from_tensor(): expected an int64 (V) tensor of bytes, got ",
                  t.defined() ? dtype_name(t.dtype()) : "undefined", " ",
                  t.defined() ? t.shape() : Shape{});
    const std::vector<int64_t> b = t.to_vector<int64_t>();
    for (size_t i = 0; i < b.size(); ++i)
        DESCENT_CHECK(b[i] >= 0 && b[i] <= 255 && (i == 0 || b[i] > b[i - 1]), ValueError,
                      "CharVocabulary::from_tensor(): entry ", i, " is ", b[i],
                      "; expected increasing bytes in [0, 255]");
    CharVocabulary v;
    v.id_.fill(-1);
    for (int64_t x : b) {
        v.id_[x] = static_cast<int16_t>(v.bytes_.size());
        v.bytes_.push_back(static_cast<unsigned char>(x));
    }
    return v;
}

Tensor CharVocabulary::to_tensor() const {
    return tensor(std::vector<int64_t>(bytes_.begin(), bytes_.end()));
}

Tensor CharVocabulary::encode(const std::string& text) const {
    std::vector<int64_t> ids(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        DESCENT_CHECK(id_[c] >= 0, ValueError, "CharVocabulary::encode(): ", shown(c),
                      " at offset ", i, " is not in the vocabulary of ", size(), " characters");
        ids[i] = id_[c];
    }
    Tensor out = empty({static_cast<int64_t>(ids.size())}, kInt64);
    if (!ids.empty()) std::memcpy(out.data<int64_t>(), ids.data(), ids.size() * sizeof(int64_t));
    return out;
}

std::string CharVocabulary::decode(const Tensor& ids) const {
    DESCENT_CHECK(ids.defined() && ids.dtype() == kInt64, TypeError,
                  "CharVocabulary::decode(): expected int64 token ids, got ",
                  ids.defined() ? dtype_name(ids.dtype()) : "undefined");
    const std::vector<int64_t> v = ids.to_vector<int64_t>();
    std::string out(v.size(), '\0');
    for (size_t i = 0; i < v.size(); ++i) {
        DESCENT_CHECK(v[i] >= 0 && v[i] < size(), ValueError, "CharVocabulary::decode(): id ", v[i],
                      " at position ", i, " is outside [0, ", size(), ")");
        out[i] = static_cast<char>(bytes_[static_cast<size_t>(v[i])]);
    }
    return out;
}

}  // namespace descent::data
