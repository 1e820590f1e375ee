// embedding as index_select of the flattened indices, reshaped to (*, D). The padding row's
// gradient is cut by taking those output rows from a detached copy (where()), so the forward
// values stay exactly the weight's.
#include "descent/nn/functional/embedding.hpp"

#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/gather.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::nn::functional {

Tensor embedding(const Tensor& indices, const Tensor& weight, std::optional<int64_t> padding_idx,
                 CallSite) {
    DESCENT_CHECK(indices.defined() && weight.defined(), ValueError,
                  "embedding(): indices and weight must be defined tensors");
    DESCENT_CHECK(indices.dtype() == kInt64, TypeError, "embedding(): expected int64 indices, got ",
                  indices.dtype());
    DESCENT_CHECK(weight.dim() == 2, ShapeError,
                  "embedding(): weight must be (num_embeddings, embedding_dim), got ",
                  weight.shape());
    const int64_t num = weight.shape()[0];
    if (padding_idx) {
        DESCENT_CHECK(*padding_idx >= -num && *padding_idx < num, ValueError,
                      "embedding(): padding_idx ", *padding_idx,
                      " is out of range for num_embeddings ", num);
        if (*padding_idx < 0) *padding_idx += num;
    }
    const Tensor flat = indices.reshape({indices.numel()}).contiguous();
    const int64_t* ix = flat.data<int64_t>();
    for (int64_t i = 0; i < flat.numel(); ++i)
        DESCENT_CHECK(ix[i] >= 0 && ix[i] < num, IndexError, "embedding(): index ", ix[i],
                      " is out of range for num_embeddings ", num);
    Shape out_shape = indices.shape();
    out_shape.push_back(weight.shape()[1]);
    // rows: (n, D), n = indices.numel()
    Tensor rows = index_select(weight, 0, flat);
    if (padding_idx) {
        // pad: (n, 1), true where the index is padding_idx; those rows come from a detached copy
        const Tensor pad =
            eq(flat, full({1}, double(*padding_idx), kInt64)).reshape({flat.numel(), 1});
        rows = where(pad, rows.detach(), rows);
    }
    return reshape(rows, out_shape);
}

}  // namespace descent::nn::functional
