// Embedding: a lookup table of num_embeddings vectors of embedding_dim, indexed by int64 tokens,
// as torch.nn.Embedding (N(0, 1) init; the padding_idx row zeroed and never updated).
#pragma once

#include <cstdint>
#include <optional>

#include "descent/nn/module.hpp"

namespace descent::nn {

class Embedding : public Module {
public:
    // ValueError unless both sizes are > 0 and padding_idx (negative counts from the end) is in
    // range. The weight is drawn from N(0, 1), then its padding_idx row set to zero.
    Embedding(int64_t num_embeddings, int64_t embedding_dim,
              std::optional<int64_t> padding_idx = std::nullopt);
    // A layer holding a copy of `embeddings` (num_embeddings, embedding_dim), trained unless
    // freeze; the padding_idx row is kept as given (as PyTorch's from_pretrained).
    static Embedding from_pretrained(const Tensor& embeddings, bool freeze = true,
                                     std::optional<int64_t> padding_idx = std::nullopt);
    // indices: int64 (*) -> (*, embedding_dim). TypeError for other dtypes, IndexError naming the
    // index and num_embeddings for one out of range.
    Tensor forward(const Tensor& indices) override;
    // Re-draws the weight from N(0, 1) and zeroes the padding row, as the constructor does.
    void reset_parameters();
    void pretty_print(std::ostream& os) const override;

    int64_t num_embeddings, embedding_dim;
    std::optional<int64_t> padding_idx;  // normalised to [0, num_embeddings)
    Tensor weight;                       // (num_embeddings, embedding_dim)
};

}  // namespace descent::nn
