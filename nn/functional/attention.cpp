// scaled_dot_product_attention as descent ops: one batched matmul for the scores, the mask by
// masked_fill (bool) or addition (float), softmax over keys, one batched matmul with the values.
#include "descent/nn/functional/attention.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/logical.hpp"
#include "descent/autograd/ops/mask.hpp"
#include "descent/autograd/ops/matmul.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/dropout.hpp"

namespace descent::nn::functional {

Tensor scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                    const Tensor& attn_mask, double dropout_p, bool is_causal,
                                    std::optional<double> scale, CallSite) {
    const char* op = "scaled_dot_product_attention()";
    DESCENT_CHECK(q.defined() && k.defined() && v.defined(), ValueError, op,
                  ": query, key and value must be defined tensors");
    DESCENT_CHECK(q.dim() >= 2 && k.dim() >= 2 && v.dim() >= 2, ShapeError, op,
                  ": query, key and value need at least 2 dims, got ", q.shape(), ", ", k.shape(),
                  ", ", v.shape());
    DESCENT_CHECK(q.is_floating_point() && q.dtype() == k.dtype() && q.dtype() == v.dtype(),
                  TypeError, op, ": expected query, key and value of one floating dtype, got ",
                  q.dtype(), ", ", k.dtype(), ", ", v.dtype());
    const int64_t L = q.shape()[q.dim() - 2], E = q.shape()[q.dim() - 1];
    const int64_t S = k.shape()[k.dim() - 2];
    DESCENT_CHECK(k.shape()[k.dim() - 1] == E && v.shape()[v.dim() - 2] == S, ShapeError, op,
                  ": query ", q.shape(), ", key ", k.shape(), ", value ", v.shape(),
                  ": key must be (*, S, E) and value (*, S, Ev)");
    DESCENT_CHECK(dropout_p >= 0 && dropout_p < 1, ValueError, op,
                  ": dropout_p must be in [0, 1), got ", dropout_p);
    DESCENT_CHECK(!(is_causal && attn_mask.defined()), ValueError, op,
                  ": give attn_mask or is_causal, not both");
    // scores: (*, L, S)
    const Shape batch = broadcast_shapes(Shape(q.shape().begin(), q.shape().end() - 2),
                                         Shape(k.shape().begin(), k.shape().end() - 2),
                                         "scaled_dot_product_attention");
    Shape scores_shape = batch;
    scores_shape.push_back(L);
    scores_shape.push_back(S);
    if (attn_mask.defined()) {
        DESCENT_CHECK(attn_mask.dtype() == kBool || attn_mask.dtype() == q.dtype(), TypeError, op,
                      ": attn_mask must be bool or ", q.dtype(), ", got ", attn_mask.dtype());
        const Shape& ms = attn_mask.shape();
        bool fits = ms.ndim() <= scores_shape.ndim();
        for (int64_t i = 1; fits && i <= ms.ndim(); ++i) {
            const int64_t m = ms[ms.ndim() - i], s = scores_shape[scores_shape.ndim() - i];
            fits = m == s || m == 1;
        }
        DESCENT_CHECK(fits, ShapeError, op, ": attn_mask ", ms,
                      " does not broadcast to the scores ", scores_shape);
    }
    const double s = scale ? *scale : 1.0 / std::sqrt(static_cast<double>(E));
    Tensor scores = matmul(q, transpose(k, -2, -1)) * s;
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (is_causal) {
        std::vector<bool> masked(static_cast<size_t>(L * S));
        for (int64_t i = 0; i < L; ++i)
            for (int64_t j = 0; j < S; ++j) masked[static_cast<size_t>(i * S + j)] = j > i;
        scores = masked_fill(scores, tensor(masked, {L, S}), -inf);
    } else if (attn_mask.defined()) {
        scores = attn_mask.dtype() == kBool ? masked_fill(scores, logical_not(attn_mask), -inf)
                                            : scores + attn_mask;
    }
    Tensor weights = softmax(scores, -1);
    if (dropout_p > 0) weights = dropout(weights, static_cast<float>(dropout_p), true);
    return matmul(weights, v);
}

}  // namespace descent::nn::functional
