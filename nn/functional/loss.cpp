// The losses. The smooth ones are compositions of descent ops (their gradients come from the ops);
// the two binary cross-entropies are nodes of their own, forward and backward side by side, because
// composing them would give NaN or a wrong gradient at x = 0 or 1 (log 0, the kinks of |x|).
#include "descent/nn/functional/loss.hpp"

#include "descent/nn/functional/cross_entropy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/nn.hpp"
#include "descent/nn/functional/activation.hpp"

namespace descent::nn::functional {

using autograd::Node;
using autograd::detail::record;

using detail::check_pair;
using detail::reduce;

void detail::check_pair(const Tensor& input, const Tensor& target, const char* op) {
    DESCENT_CHECK(input.defined() && target.defined(), ValueError, op,
                  "(): ", input.defined() ? "target" : "input", " is an undefined tensor");
    DESCENT_CHECK(input.shape() == target.shape(), ShapeError, op, "(): input ", input.shape(),
                  " and target ", target.shape(), " must have the same shape");
}

Tensor detail::reduce(const Tensor& loss, Reduction reduction, const char* op) {
    if (reduction == Reduction::None) return loss;
    if (reduction == Reduction::Sum) return sum(loss);
    DESCENT_CHECK(loss.numel() > 0, ValueError, op, "(): the mean over an empty input ",
                  loss.shape(), " is undefined");
    return mean(loss);
}

namespace {

// The fused losses take one floating dtype for input and target (as PyTorch's kernels).
void check_same_floating(const Tensor& input, const Tensor& target, const char* op) {
    DESCENT_CHECK(input.is_floating_point() && input.dtype() == target.dtype(), TypeError, op,
                  "(): expected input and target of one floating dtype, got ", input.dtype(),
                  " and ", target.dtype());
}

// ValueError unless `factor` broadcasts to `shape` (so that multiplying keeps the loss's shape).
void check_broadcasts(const Tensor& factor, const Shape& shape, const char* op, const char* what) {
    bool ok = factor.dim() <= static_cast<int64_t>(shape.size());
    for (int64_t i = 1; ok && i <= factor.dim(); ++i) {
        const int64_t f = factor.size(factor.dim() - i), s = shape[shape.size() - i];
        ok = f == 1 || f == s;
    }
    DESCENT_CHECK(ok, ShapeError, op, "(): ", what, " ", factor.shape(),
                  " does not broadcast to the input ", shape);
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction, CallSite) {
    check_pair(input, target, "mse_loss");
    const Tensor d = input - target;
    return reduce(d * d, reduction, "mse_loss");
}

Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction, CallSite) {
    check_pair(input, target, "l1_loss");
    return reduce(abs(input - target), reduction, "l1_loss");
}

Tensor huber_loss(const Tensor& input, const Tensor& target, Reduction reduction, float delta,
                  CallSite) {
    check_pair(input, target, "huber_loss");
    DESCENT_CHECK(delta > 0.0f, ValueError, "huber_loss(): delta must be > 0, got ", delta);
    const Tensor d = input - target, a = abs(d);
    return reduce(where(a < delta, d * d * 0.5f, (a - 0.5f * delta) * delta), reduction,
                  "huber_loss");
}

Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossFuncOptions& options,
                  CallSite) {
    check_pair(input, target, "huber_loss");
    DESCENT_CHECK(options.delta() > 0.0, ValueError, "huber_loss(): delta must be > 0, got ",
                  options.delta());
    return huber_loss(input, target, options.reduction(), static_cast<float>(options.delta()));
}

// |d| < β: ½d²/β (gradient d/β), else |d| - ½β (gradient sign d): at |d| = β both give ±1, which
// is PyTorch's smooth_l1_loss_backward.
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                      const SmoothL1LossFuncOptions& options, CallSite) {
    check_pair(input, target, "smooth_l1_loss");
    const double beta = options.beta();
    DESCENT_CHECK(beta >= 0.0, ValueError, "smooth_l1_loss(): beta must be >= 0, got ", beta);
    if (beta == 0.0) return l1_loss(input, target, options.reduction());
    const Tensor d = input - target, a = abs(d);
    return reduce(where(a < beta, d * d * (0.5 / beta), a - 0.5 * beta), options.reduction(),
                  "smooth_l1_loss");
}

Tensor nll_loss(const Tensor& input, const std::vector<int64_t>& targets, Reduction reduction,
                CallSite) {
    DESCENT_CHECK(input.defined(), ValueError, "nll_loss(): input is an undefined tensor");
    DESCENT_CHECK(input.dim() == 2, ShapeError, "nll_loss(): input must be 2-D (N, C), got ",
                  input.shape());
    const int64_t N = input.size(0), C = input.size(1);
    DESCENT_CHECK(static_cast<int64_t>(targets.size()) == N, ShapeError, "nll_loss(): input ",
                  input.shape(), " has N = ", N, " rows but there are ", targets.size(),
                  " targets");
    for (int64_t i = 0; i < N; ++i)
        DESCENT_CHECK(targets[i] >= 0 && targets[i] < C, IndexError, "nll_loss(): target ",
                      targets[i], " at index ", i, " is out of range for C = ", C, " classes");
    return reduce(-reshape(gather(input, 1, targets), {N}), reduction, "nll_loss");
}

Tensor nll_loss(const Tensor& input, const Tensor& targets, Reduction reduction, CallSite) {
    return nll_loss(input, detail::label_vector(targets, "nll_loss"), reduction);
}

// ---- binary cross-entropy -------------------------------------------------------------------
struct BceBackward final : Node {
    // saved: x, y
    const char* name() const override { return "BinaryCrossEntropyBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor binary_cross_entropy(const Tensor& input_, const Tensor& target_, Reduction reduction,
                            CallSite) {
    const Tensor input = input_.contiguous();    // kernels read row-major buffers
    const Tensor target = target_.contiguous();  // kernels read row-major buffers
    check_pair(input, target, "binary_cross_entropy");
    check_same_floating(input, target, "binary_cross_entropy");
    Tensor loss = ops_detail::visit_floating(input.dtype(), "binary_cross_entropy", [&](auto tag) {
        using T = decltype(tag);
        const T* x = input.data<T>();
        const T* y = target.data<T>();
        for (int64_t i = 0; i < input.numel(); ++i)
            DESCENT_CHECK(x[i] >= T(0) && x[i] <= T(1), ValueError,
                          "binary_cross_entropy(): input must hold probabilities in [0, 1], "
                          "element ",
                          i, " is ", x[i]);
        Tensor l = make_tensor(input.shape(), input.dtype());
        kernels::binary_cross_entropy(x, y, input.numel(), l.data<T>());
        return l;
    });
    if (auto node = record<BceBackward>(loss, input, target))
        node->save_for_backward({input, target});
    return reduce(loss, reduction, "binary_cross_entropy");
}

// l = -(y·max(log x, -100) + (1-y)·max(log(1-x), -100)):  dL/dx = g·(x - y) / max(x(1-x),
// 1e-12) (PyTorch's),  dL/dy = g·(max(log(1-x), -100) - max(log x, -100))
std::vector<Tensor> BceBackward::apply(Tensor g) {
    const float inf = std::numeric_limits<float>::infinity();
    const Tensor xv = saved(0), yv = saved(1);
    std::vector<Tensor> grads(2);
    if (needs_input_grad(0))
        grads[0] =
            g * (xv - yv) / maximum(xv * (1.0f - xv), scalar_tensor(double(1e-12f), xv.dtype()));
    if (needs_input_grad(1))
        grads[1] = g * (clamp(log(1.0f - xv), -100.0f, inf) - clamp(log(xv), -100.0f, inf));
    return grads;
}

struct BceWithLogitsBackward final : Node {
    // saved: x, y
    const char* name() const override { return "BinaryCrossEntropyWithLogitsBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

Tensor binary_cross_entropy_with_logits(const Tensor& input_, const Tensor& target_,
                                        Reduction reduction, CallSite) {
    const Tensor input = input_.contiguous();    // kernels read row-major buffers
    const Tensor target = target_.contiguous();  // kernels read row-major buffers
    check_pair(input, target, "binary_cross_entropy_with_logits");
    check_same_floating(input, target, "binary_cross_entropy_with_logits");
    Tensor loss = make_tensor(input.shape(), input.dtype());
    ops_detail::visit_floating(input.dtype(), "binary_cross_entropy_with_logits", [&](auto tag) {
        using T = decltype(tag);
        kernels::binary_cross_entropy_with_logits(input.data<T>(), target.data<T>(), input.numel(),
                                                  loss.data<T>());
    });
    if (auto node = record<BceWithLogitsBackward>(loss, input, target))
        node->save_for_backward({input, target});
    return reduce(loss, reduction, "binary_cross_entropy_with_logits");
}

// l = max(x, 0) - x·y + log(1 + exp(-|x|)):  dL/dx = g·(σ(x) - y),  dL/dy = -g·x
std::vector<Tensor> BceWithLogitsBackward::apply(Tensor g) {
    const Tensor xv = saved(0);
    std::vector<Tensor> grads(2);
    if (needs_input_grad(0)) grads[0] = g * (sigmoid(xv) - saved(1));
    if (needs_input_grad(1)) grads[1] = -(g * xv);
    return grads;
}

// l = (1 - y)·x - (1 + (p - 1)·y)·log σ(x), PyTorch's stable form of -(p·y·log σ(x) + (1 - y)·
// log(1 - σ(x))) (logsigmoid never overflows); times the weight.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BinaryCrossEntropyWithLogitsFuncOptions& options,
                                        CallSite) {
    const char* op = "binary_cross_entropy_with_logits";
    check_pair(input, target, op);
    check_same_floating(input, target, op);
    const Tensor &w = options.weight(), &p = options.pos_weight();
    if (w.defined()) check_broadcasts(w, input.shape(), op, "weight");
    if (p.defined()) check_broadcasts(p, input.shape(), op, "pos_weight");
    Tensor loss;
    if (p.defined())
        loss = (1.0 - target) * input - (1.0 + (p - 1.0) * target) * logsigmoid(input);
    else
        loss = binary_cross_entropy_with_logits(input, target, Reduction::None);
    if (w.defined()) loss = loss * w;
    return reduce(loss, options.reduction(), op);
}

}  // namespace descent::nn::functional
