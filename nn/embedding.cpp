// Embedding: registration, PyTorch's N(0, 1) init with the padding row zeroed, forward through
// functional::embedding (index_select, so twice differentiable).
#include "descent/nn/embedding.hpp"

#include <ostream>

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/embedding.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

Embedding::Embedding(int64_t num, int64_t dim, std::optional<int64_t> pad)
    : Module("Embedding"), num_embeddings(num), embedding_dim(dim) {
    DESCENT_CHECK(num > 0 && dim > 0, ValueError,
                  "Embedding(): num_embeddings and embedding_dim must be > 0, got ", num, " and ",
                  dim);
    if (pad) {
        DESCENT_CHECK(*pad >= -num && *pad < num, ValueError, "Embedding(): padding_idx ", *pad,
                      " is out of range for num_embeddings ", num);
        padding_idx = *pad < 0 ? *pad + num : *pad;
    }
    weight = register_parameter("weight", empty({num, dim}));
    reset_parameters();
}

Embedding Embedding::from_pretrained(const Tensor& embeddings, bool freeze,
                                     std::optional<int64_t> padding_idx) {
    DESCENT_CHECK(embeddings.defined() && embeddings.dim() == 2, ShapeError,
                  "Embedding::from_pretrained(): embeddings must be 2-D (num_embeddings, "
                  "embedding_dim), got ",
                  embeddings.defined() ? embeddings.shape() : Shape{});
    DESCENT_CHECK(embeddings.is_floating_point(), TypeError,
                  "Embedding::from_pretrained(): expected floating embeddings, got ",
                  embeddings.dtype());
    Embedding e(embeddings.shape()[0], embeddings.shape()[1], padding_idx);
    e.to(embeddings.dtype());
    {
        NoGradGuard no_grad;
        e.weight.copy_(embeddings);
    }
    e.weight.requires_grad_(!freeze);
    return e;
}

void Embedding::reset_parameters() {
    init::normal_(weight, 0.0, 1.0);
    if (padding_idx) {
        NoGradGuard no_grad;
        select(weight, 0, *padding_idx).fill_(0.0);
    }
}

Tensor Embedding::forward(const Tensor& indices) {
    DESCENT_CHECK(indices.defined(), ValueError, "Embedding: indices is an undefined tensor");
    DESCENT_CHECK(indices.dtype() == kInt64, TypeError, "Embedding: expected int64 indices, got ",
                  indices.dtype());
    return functional::embedding(indices, weight, padding_idx);
}

void Embedding::pretty_print(std::ostream& os) const {
    os << "Embedding(" << num_embeddings << ", " << embedding_dim;
    if (padding_idx) os << ", padding_idx=" << *padding_idx;
    os << ")";
}

}  // namespace descent::nn
