// bilinear: the leading dims flattened to one batch dim, then einsum("bi,oij,bj->bo") (two
// batched products, each differentiable twice and more), plus the bias.
#include "descent/nn/functional/bilinear.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/einsum.hpp"
#include "descent/core/error.hpp"

namespace descent::nn::functional {

Tensor detail::bilinear(const char* who, const Tensor& x1, const Tensor& x2, const Tensor& w,
                        const Tensor& b) {
    DESCENT_CHECK(x1.defined() && x2.defined() && w.defined(), ValueError, who,
                  ": input1, input2 and weight must be defined tensors");
    DESCENT_CHECK(w.dim() == 3, ShapeError, who,
                  ": expected weight (out_features, in1_features, in2_features), got ", w.shape());
    DESCENT_CHECK(x1.dim() >= 1 && x1.dim() == x2.dim(), ShapeError, who,
                  ": input1 and input2 must have the same number of dims (at least 1), got ",
                  x1.shape(), " and ", x2.shape());
    DESCENT_CHECK(x1.size(-1) == w.size(1), ShapeError, who, ": input1 ", x1.shape(), " has ",
                  x1.size(-1), " features but weight ", w.shape(), " expects in1_features ",
                  w.size(1));
    DESCENT_CHECK(x2.size(-1) == w.size(2), ShapeError, who, ": input2 ", x2.shape(), " has ",
                  x2.size(-1), " features but weight ", w.shape(), " expects in2_features ",
                  w.size(2));
    const Shape s1 = x1.shape(), s2 = x2.shape();
    Shape lead(s1.begin(), s1.end() - 1);
    const Shape lead2(s2.begin(), s2.end() - 1);
    DESCENT_CHECK(lead == lead2, ShapeError, who, ": input1 ", x1.shape(), " and input2 ",
                  x2.shape(), " have different batch dims");
    DESCENT_CHECK(!b.defined() || (b.dim() == 1 && b.size(0) == w.size(0)), ShapeError, who,
                  ": expected bias (", w.size(0), ") for weight ", w.shape(), ", got ",
                  b.shape());
    const int64_t batch = numel(lead);
    // (B, in1), (out, in1, in2), (B, in2) -> (B, out)
    Tensor y = einsum("bi,oij,bj->bo",
                      {x1.reshape({batch, w.size(1)}), w, x2.reshape({batch, w.size(2)})});
    if (b.defined()) y = y + b;
    lead.push_back(w.size(0));
    return y.reshape(lead);
}

Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias, CallSite) {
    return detail::bilinear("bilinear()", input1, input2, weight, bias);
}

}  // namespace descent::nn::functional
