// The losses on pairs and triplets of embeddings: cosine_embedding_loss, margin_ranking_loss and
// triplet_margin_loss, composed from descent's ops with PyTorch's formulas (and its ε's).
#include <limits>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/norm.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/nn/functional/loss.hpp"

namespace descent::nn::functional {

namespace {

// max(x, 0), passing the gradient at 0 as PyTorch's clamp_min.
Tensor clamp_min0(const Tensor& x) {
    return clamp(x, 0.0f, std::numeric_limits<float>::infinity());
}

// ShapeError unless x is (N, D) or (D).
void check_embedding(const Tensor& x, const char* op, const char* name) {
    DESCENT_CHECK(x.dim() == 1 || x.dim() == 2, ShapeError, op, "(): ", name,
                  " must be (N, D) or (D), got ", x.shape());
}

}  // namespace

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             const CosineEmbeddingLossFuncOptions& options, CallSite) {
    const char* op = "cosine_embedding_loss";
    detail::check_pair(input1, input2, op);
    check_embedding(input1, op, "input1");
    DESCENT_CHECK(target.defined(), ValueError, op, "(): target is an undefined tensor");
    const Shape rows(input1.shape().begin(), input1.shape().end() - 1);
    DESCENT_CHECK(target.shape() == rows, ShapeError, op, "(): inputs ", input1.shape(),
                  " need a target of shape ", rows, ", got ", target.shape());
    const std::vector<double> y = target.detach().to(kFloat64).to_vector<double>();
    for (size_t i = 0; i < y.size(); ++i)
        DESCENT_CHECK(y[i] == 1.0 || y[i] == -1.0, ValueError, op,
                      "(): target must hold 1 or -1, element ", i, " is ", y[i]);
    const int64_t d = input1.dim() - 1;
    const Tensor dot = sum(input1 * input2, d);
    const Tensor sq1 = sum(input1 * input1, d) + 1e-12, sq2 = sum(input2 * input2, d) + 1e-12;
    const Tensor cos = dot / sqrt(sq1 * sq2);
    const Tensor positive = target.to(cos.dtype()) > 0.0;
    return detail::reduce(where(positive, 1.0 - cos, clamp_min0(cos - options.margin())),
                          options.reduction(), op);
}

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           const MarginRankingLossFuncOptions& options, CallSite) {
    const char* op = "margin_ranking_loss";
    detail::check_pair(input1, input2, op);
    detail::check_pair(input1, target, op);
    return detail::reduce(clamp_min0(-target * (input1 - input2) + options.margin()),
                          options.reduction(), op);
}

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossFuncOptions& options, CallSite) {
    const char* op = "triplet_margin_loss";
    detail::check_pair(anchor, positive, op);
    detail::check_pair(anchor, negative, op);
    check_embedding(anchor, op, "anchor");
    DESCENT_CHECK(options.p() > 0.0, ValueError, op, "(): p must be > 0, got ", options.p());
    const float p = static_cast<float>(options.p());
    const double eps = options.eps();
    const int64_t d = anchor.dim() - 1;
    // PyTorch's pairwise_distance: ‖u - v + eps‖_p, the eps keeping the norm off its kink at 0.
    auto distance = [&](const Tensor& u, const Tensor& v) { return norm(u - v + eps, p, {d}); };
    const Tensor d_ap = distance(anchor, positive);
    Tensor d_an = distance(anchor, negative);
    if (options.swap()) d_an = minimum(d_an, distance(positive, negative));
    return detail::reduce(clamp_min0(d_ap - d_an + options.margin()), options.reduction(), op);
}

}  // namespace descent::nn::functional
