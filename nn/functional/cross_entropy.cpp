// cross_entropy: a stable fused forward (row max, one SIMD exp over the whole batch, row sums) that
// also keeps the softmax, and the llm.c-style backward (softmax - target distribution) beside it.
#include "descent/nn/functional/cross_entropy.hpp"

#include <algorithm>
#include <cmath>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/nn.hpp"

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

}  // namespace descent::nn::functional
