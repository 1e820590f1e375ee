// linear's forward (bias broadcast, then one sgemm accumulating x·Wᵀ onto it) and its backward.
#include "descent/nn/functional/linear.hpp"

#include <algorithm>

#include "descent/autograd/ops/matmul.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/blas.hpp"
#include "descent/core/kernels/nn.hpp"

namespace descent::nn::functional {

using autograd::Node;
using autograd::detail::record;

struct LinearBackward final : Node {
    // saved: x, W, each only if the other needs a gradient
    Shape x_shape;
    int64_t rows = 0, in = 0, out = 0;
    const char* name() const override { return "LinearBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor linear(const Tensor& x_, const Tensor& weight_, const Tensor& bias, CallSite) {
    const Tensor x = x_.contiguous();            // kernels read row-major buffers
    const Tensor weight = weight_.contiguous();  // kernels read row-major buffers
    DESCENT_CHECK(x.defined() && weight.defined(), ValueError,
                  "linear(): ", x.defined() ? "weight" : "input", " is an undefined tensor");
    DESCENT_CHECK(weight.dim() == 2, ShapeError, "linear(): weight must be 2-D (out_features, ",
                  "in_features), got ", weight.shape());
    DESCENT_CHECK(x.dim() >= 1, ShapeError, "linear(): input must have at least 1 dim, got ",
                  x.shape());
    const int64_t out = weight.size(0), in = weight.size(1);
    DESCENT_CHECK(x.size(-1) == in, ShapeError, "linear(): input ", x.shape(), " vs weight ",
                  weight.shape(), ": in_features ", x.size(-1), " != ", in);
    DESCENT_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == out), ShapeError,
                  "linear(): bias ", bias.defined() ? bias.shape() : Shape{}, " vs weight ",
                  weight.shape(), ": expected bias of shape (", out, ")");
    int64_t rows = 1;  // the leading dims, folded (x is contiguous)
    for (int64_t d = 0; d + 1 < x.dim(); ++d) rows *= x.size(d);
    Shape y_shape = x.shape();
    y_shape.back() = out;
    Tensor y = make_tensor(y_shape);
    float* yd = y.data();
    if (bias.defined()) kernels::broadcast_rows(bias.data(), rows, out, yd);  // y starts as b
    // y (rows × out) = x (rows × in) · Wᵀ (in × out) [+ y]
    if (!bias.defined() && in == 0) std::fill_n(yd, rows * out, 0.0f);  // an empty sum
    if (rows > 0 && out > 0 && in > 0)
        kernels::gemm(/*trans_a=*/false, /*trans_b=*/true, rows, out, in, 1.0f, x.data(),
                      weight.data(), bias.defined() ? 1.0f : 0.0f, yd);
    std::shared_ptr<LinearBackward> node = bias.defined()
                                               ? record<LinearBackward>(y, x, weight, bias)
                                               : record<LinearBackward>(y, x, weight);
    if (node) {
        node->save_for_backward({node->needs_input_grad(1) ? x : Tensor(),
                                 node->needs_input_grad(0) ? weight : Tensor()});
        node->x_shape = x.shape();
        node->rows = rows;
        node->in = in;
        node->out = out;
    }
    return y;
}

// y = x·Wᵀ + b (x as rows × in):  dx = g·W,  dW = gᵀ·x,  db = Σ_rows g
std::vector<Tensor> LinearBackward::apply(Tensor g) {
    const bool flat = x_shape.ndim() == 2;
    const Tensor g2 = flat ? g : reshape(g, {rows, out});
    std::vector<Tensor> grads(3);
    if (needs_input_grad(0)) {
        const Tensor dx = mm(g2, saved(1));
        grads[0] = flat ? dx : reshape(dx, x_shape);
    }
    if (needs_input_grad(1)) {
        const Tensor xv = saved(0);
        grads[1] = mm(g2, flat ? xv : reshape(xv, {rows, in}), /*transpose_a=*/true,
                      /*transpose_b=*/false);
    }
    if (next_edges().size() > 2 && needs_input_grad(2)) grads[2] = sum(g2, 0);
    grads.resize(next_edges().size());
    return grads;
}

}  // namespace descent::nn::functional
