// linear's forward (bias broadcast, then one sgemm accumulating x·Wᵀ onto it) and its backward.
#include "descent/nn/functional/linear.hpp"

#include <algorithm>

#include "descent/autograd/ops/dispatch.hpp"
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
    // As PyTorch: one floating dtype for all three (no promotion inside a layer).
    DESCENT_CHECK(x.is_floating_point() && x.dtype() == weight.dtype() &&
                      (!bias.defined() || bias.dtype() == x.dtype()),
                  TypeError,
                  "linear(): expected input, weight and bias of one floating dtype, got ",
                  x.dtype(), ", ", weight.dtype(), " and ",
                  bias.defined() ? dtype_name(bias.dtype()) : "no bias");
    int64_t rows = 1;  // the leading dims, folded (x is contiguous)
    for (int64_t d = 0; d + 1 < x.dim(); ++d) rows *= x.size(d);
    Shape y_shape = x.shape();
    y_shape.back() = out;
    Tensor y = make_tensor(y_shape, x.dtype());
    ops_detail::visit_floating(x.dtype(), "linear", [&](auto tag) {
        using T = decltype(tag);  // float: sgemm, double: dgemm
        T* yd = y.data<T>();
        if (bias.defined())
            kernels::broadcast_rows(bias.contiguous().data<T>(), rows, out, yd);  // y starts as b
        // y (rows × out) = x (rows × in) · Wᵀ (in × out) [+ y]
        if (!bias.defined() && in == 0) std::fill_n(yd, rows * out, T(0));  // an empty sum
        if (rows > 0 && out > 0 && in > 0)
            kernels::gemm(/*trans_a=*/false, /*trans_b=*/true, rows, out, in, T(1), x.data<T>(),
                          weight.data<T>(), bias.defined() ? T(1) : T(0), yd);
    });
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
