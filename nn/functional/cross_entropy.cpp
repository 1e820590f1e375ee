// cross_entropy: a stable fused forward (row max, one SIMD exp over the whole batch, row sums) that
// also keeps the softmax, and the llm.c-style backward (softmax - target distribution) beside it;
// the options form (class weights, ignore_index, soft and N-d targets) and nll_loss's, composed
// from descent's ops where the fused path does not apply.
#include "descent/nn/functional/cross_entropy.hpp"

#include <algorithm>
#include <cmath>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/nn.hpp"
#include "descent/nn/functional/loss.hpp"

namespace descent::nn::functional {

using autograd::Node;
using autograd::detail::record;

struct CrossEntropyBackward final : Node {
    // saved: logits (unpacked only under create_graph), probs = softmax(logits) (N, C)
    std::vector<int64_t> targets;
    Reduction reduction = Reduction::Mean;
    float smoothing = 0.0f;
    const char* name() const override { return "CrossEntropyBackward"; }

    std::vector<Tensor> apply(Tensor g) override;
};

Tensor cross_entropy(const Tensor& logits_, const std::vector<int64_t>& targets,
                     Reduction reduction, float label_smoothing, CallSite) {
    const Tensor logits = logits_.contiguous();  // kernels read row-major buffers
    DESCENT_CHECK(logits.defined(), ValueError, "cross_entropy(): logits is an undefined tensor");
    DESCENT_CHECK(logits.dim() == 2, ShapeError, "cross_entropy(): logits must be 2-D (N, C), got ",
                  logits.shape());
    const int64_t N = logits.size(0), C = logits.size(1);
    DESCENT_CHECK(static_cast<int64_t>(targets.size()) == N, ShapeError, "cross_entropy(): logits ",
                  logits.shape(), " has N = ", N, " rows but there are ", targets.size(),
                  " targets");
    DESCENT_CHECK(label_smoothing >= 0.0f && label_smoothing <= 1.0f, ValueError,
                  "cross_entropy(): label_smoothing must be in [0, 1], got ", label_smoothing);
    DESCENT_CHECK(N > 0 || reduction != Reduction::Mean, ValueError,
                  "cross_entropy(): the mean over an empty batch (logits ", logits.shape(),
                  ") is undefined");
    for (int64_t i = 0; i < N; ++i)
        DESCENT_CHECK(targets[i] >= 0 && targets[i] < C, IndexError, "cross_entropy(): target ",
                      targets[i], " at index ", i, " is out of range for C = ", C, " classes");

    DESCENT_CHECK(logits.is_floating_point(), TypeError,
                  "cross_entropy(): expected floating logits, got ", logits.dtype());
    Tensor probs = make_tensor({N, C}, logits.dtype());
    Tensor loss = make_tensor(reduction == Reduction::None ? Shape{N} : Shape{}, logits.dtype());
    ops_detail::visit_floating(logits.dtype(), "cross_entropy", [&](auto tag) {
        using T = decltype(tag);  // the logits' dtype; the sum of row losses is double either way
        const double total = kernels::cross_entropy(
            logits.data<T>(), targets.data(), N, C, static_cast<T>(label_smoothing),
            probs.data<T>(), reduction == Reduction::None ? loss.data<T>() : nullptr);
        if (reduction != Reduction::None)
            loss.data<T>()[0] = static_cast<T>(
                reduction == Reduction::Mean ? total / static_cast<double>(N) : total);
    });
    if (auto node = record<CrossEntropyBackward>(loss, logits)) {
        node->save_for_backward({logits, probs});
        node->targets = targets;
        node->reduction = reduction;
        node->smoothing = label_smoothing;
    }
    return loss;
}

// loss_i = -Σ_j q_ij log softmax(z_i)_j:  dL/dz_ij = w_i · (softmax(z_i)_j - q_ij),
// w_i = g/N (mean), g (sum) or g_i (none)
std::vector<Tensor> CrossEntropyBackward::apply(Tensor g) {
    const Tensor probs = saved(1);
    const int64_t N = probs.size(0), C = probs.size(1);
    if (autograd::GradMode::is_enabled()) {  // create_graph: record the same formula
        Tensor q = make_tensor({N, C}, probs.dtype());
        ops_detail::visit_floating(probs.dtype(), "cross_entropy", [&](auto tag) {
            using T = decltype(tag);
            kernels::smoothed_one_hot(targets.data(), N, C, static_cast<T>(smoothing), q.data<T>());
        });
        const Tensor w = reduction == Reduction::Mean  ? g / static_cast<float>(N)
                         : reduction == Reduction::Sum ? g
                                                       : reshape(g, {N, 1});
        return {(softmax(saved(0), 1) - q) * w};
    }
    Tensor dz = make_tensor({N, C}, probs.dtype());
    ops_detail::visit_floating(probs.dtype(), "cross_entropy", [&](auto tag) {
        using T = decltype(tag);
        const Tensor gc = ops_detail::as_dtype(g.contiguous(), probs.dtype());
        const T* gd = gc.data<T>();
        const T scale = reduction == Reduction::None   ? T(0)
                        : reduction == Reduction::Mean ? gd[0] / static_cast<T>(N)
                                                       : gd[0];
        kernels::cross_entropy_backward(
            probs.data<T>(), targets.data(), N, C, static_cast<T>(smoothing),
            reduction == Reduction::None ? gd : &scale, reduction == Reduction::None, dz.data<T>());
    });
    return {dz};
}

std::vector<int64_t> detail::label_vector(const Tensor& targets, const char* op) {
    DESCENT_CHECK(targets.defined(), ValueError, op, "(): targets is an undefined tensor");
    DESCENT_CHECK(targets.dtype() == kInt64, TypeError, op, "(): expected int64 targets, got ",
                  dtype_name(targets.dtype()));
    DESCENT_CHECK(targets.dim() == 1, ShapeError, op, "(): targets must be 1-D (N), got ",
                  targets.shape());
    return targets.to_vector<int64_t>();
}

Tensor cross_entropy(const Tensor& logits, const Tensor& targets, Reduction reduction,
                     float label_smoothing, CallSite) {
    return cross_entropy(logits, detail::label_vector(targets, "cross_entropy"), reduction,
                         label_smoothing);
}

// ---- the options forms ----------------------------------------------------------------------
namespace {

// What the options forms share: the checked input, its class dim and count, the checked weight.
struct ClassInput {
    int64_t class_dim = 1, C = 0;
    Shape label_shape;  // the input's shape without the class dim: a class-index target's shape
};

ClassInput check_class_input(const Tensor& input, const Tensor& weight, const char* op) {
    DESCENT_CHECK(input.defined(), ValueError, op, "(): input is an undefined tensor");
    DESCENT_CHECK(input.is_floating_point(), TypeError, op, "(): expected a floating input, got ",
                  input.dtype());
    DESCENT_CHECK(input.dim() >= 1, ShapeError, op,
                  "(): input must be (C), (N, C) or (N, C, d1, ...), got ", input.shape());
    ClassInput c;
    c.class_dim = input.dim() == 1 ? 0 : 1;
    c.C = input.size(c.class_dim);
    for (int64_t d = 0; d < input.dim(); ++d)
        if (d != c.class_dim) c.label_shape.push_back(input.size(d));
    if (weight.defined()) {
        DESCENT_CHECK(weight.is_floating_point(), TypeError, op,
                      "(): expected a floating weight, got ", weight.dtype());
        DESCENT_CHECK(weight.dim() == 1 && weight.size(0) == c.C, ShapeError, op,
                      "(): weight must hold one factor per class, (", c.C, "), got ",
                      weight.shape(), " for input ", input.shape());
    }
    return c;
}

// A class-index target, checked: int64 of the label shape, each a class or ignore_index.
std::vector<int64_t> checked_labels(const Tensor& target, const ClassInput& c, int64_t ignore_index,
                                    const Tensor& input, const char* op) {
    DESCENT_CHECK(target.defined(), ValueError, op, "(): target is an undefined tensor");
    DESCENT_CHECK(target.dtype() == kInt64, TypeError, op,
                  "(): expected int64 class indices as target, got ", target.dtype(), " of shape ",
                  target.shape());
    DESCENT_CHECK(target.shape() == c.label_shape, ShapeError, op, "(): input ", input.shape(),
                  " needs class indices of shape ", c.label_shape, ", got target ", target.shape());
    std::vector<int64_t> labels = target.to_vector<int64_t>();
    for (size_t i = 0; i < labels.size(); ++i)
        DESCENT_CHECK(labels[i] == ignore_index || (labels[i] >= 0 && labels[i] < c.C), IndexError,
                      op, "(): target ", labels[i], " at flat index ", i,
                      " is out of range for C = ", c.C, " classes (ignore_index ", ignore_index,
                      ")");
    return labels;
}

// The input as (M, C) rows, the class dim moved last (M = N·d1·..., or 1 unbatched).
Tensor as_rows(const Tensor& x, const ClassInput& c) {
    if (x.dim() == 1) return unsqueeze(x, 0);
    if (x.dim() == 2) return x;
    std::vector<int64_t> dims{0};
    for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
    dims.push_back(1);
    return reshape(permute(x, dims), {numel(c.label_shape), c.C});
}

// logp: (M, C) log-probabilities. loss_i = -w_{t_i}·logp[i, t_i] (times 1 - ε, plus ε/C times
// -Σ_c w_c·logp[i, c]), 0 where t_i = ignore_index; the mean divides by Σ_i w_{t_i} over the
// samples not ignored (PyTorch's weighted mean; with ε, PyTorch's cross_entropy smoothing term).
Tensor class_index_loss(const Tensor& logp, const std::vector<int64_t>& labels, const ClassInput& c,
                        const Tensor& weight, int64_t ignore_index, Reduction reduction,
                        double smoothing) {
    const int64_t M = static_cast<int64_t>(labels.size());
    const std::vector<double> w_class = weight.defined()
                                            ? weight.detach().to(kFloat64).to_vector<double>()
                                            : std::vector<double>(static_cast<size_t>(c.C), 1.0);
    std::vector<int64_t> safe(labels);
    std::vector<double> w(labels.size()), kept(labels.size());
    double total_weight = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
        const bool ignored = labels[i] == ignore_index;
        if (ignored) safe[i] = 0;
        kept[i] = ignored ? 0.0 : 1.0;
        w[i] = ignored ? 0.0 : w_class[static_cast<size_t>(labels[i])];
        total_weight += w[i];
    }
    const TensorOptions opts(logp.dtype());
    Tensor loss = -(reshape(gather(logp, 1, safe), {M}) * tensor(w, {M}, opts));
    if (smoothing > 0) {
        const Tensor row = weight.defined() ? reshape(weight.detach(), {1, c.C}).to(logp.dtype())
                                            : scalar_tensor(1.0, opts);
        const Tensor smooth = -sum(logp * row, 1) * tensor(kept, {M}, opts);
        loss = loss * (1.0 - smoothing) + smooth * (smoothing / static_cast<double>(c.C));
    }
    if (reduction == Reduction::None) return reshape(loss, c.label_shape);
    if (reduction == Reduction::Sum) return sum(loss);
    return sum(loss) / total_weight;  // 0/0 = NaN when every target is ignored, as PyTorch
}

bool any_ignored(const std::vector<int64_t>& labels, int64_t ignore_index) {
    return std::find(labels.begin(), labels.end(), ignore_index) != labels.end();
}

}  // namespace

Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyFuncOptions& options, CallSite) {
    const char* op = "cross_entropy";
    const Tensor& weight = options.weight();
    const double eps = options.label_smoothing();
    const ClassInput c = check_class_input(input, weight, op);
    DESCENT_CHECK(eps >= 0.0 && eps <= 1.0, ValueError,
                  "cross_entropy(): label_smoothing must be in [0, 1], got ", eps);
    DESCENT_CHECK(target.defined(), ValueError, "cross_entropy(): target is an undefined tensor");

    if (target.shape() == input.shape() && target.dim() > 0 &&
        !(input.dim() == 1 && target.dtype() == kInt64)) {
        // Probabilities (soft labels): q = (1 - ε)·target + ε/C, loss = -Σ_c w_c·q_c·log p_c.
        DESCENT_CHECK(target.is_floating_point(), TypeError,
                      "cross_entropy(): a target of the input's shape ", target.shape(),
                      " holds class probabilities and must be floating, got ", target.dtype());
        DESCENT_CHECK(options.ignore_index() < 0, ValueError, "cross_entropy(): ignore_index ",
                      options.ignore_index(), " is not supported with probability targets (target ",
                      target.shape(), " of the input's shape)");
        const Tensor logp = log_softmax(input, c.class_dim);
        Tensor q = eps > 0 ? target * (1.0 - eps) + eps / static_cast<double>(c.C) : target;
        Tensor prod = logp * q;
        if (weight.defined()) {
            Shape along(static_cast<size_t>(input.dim()), 1);
            along[static_cast<size_t>(c.class_dim)] = c.C;
            prod = prod * reshape(weight.detach(), along);
        }
        const Reduction r = options.reduction();
        if (r == Reduction::None) return -sum(prod, c.class_dim);
        if (r == Reduction::Sum) return -sum(prod);
        return -sum(prod) / static_cast<double>(numel(c.label_shape));
    }

    const std::vector<int64_t> labels =
        checked_labels(target, c, options.ignore_index(), input, op);
    if (input.dim() == 2 && !weight.defined() && !any_ignored(labels, options.ignore_index()))
        return cross_entropy(input, labels, options.reduction(), static_cast<float>(eps));
    return class_index_loss(log_softmax(as_rows(input, c), 1), labels, c, weight,
                            options.ignore_index(), options.reduction(), eps);
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options,
                CallSite) {
    const char* op = "nll_loss";
    const ClassInput c = check_class_input(input, options.weight(), op);
    const std::vector<int64_t> labels =
        checked_labels(target, c, options.ignore_index(), input, op);
    if (input.dim() == 2 && !options.weight().defined() &&
        !any_ignored(labels, options.ignore_index()))
        return nll_loss(input, labels, options.reduction());
    return class_index_loss(as_rows(input, c), labels, c, options.weight(), options.ignore_index(),
                            options.reduction(), 0.0);
}

}  // namespace descent::nn::functional
