// cross_entropy: a stable fused forward (row max, one SIMD exp over the whole batch, row sums) that
// also keeps the softmax, and the llm.c-style backward (softmax - target distribution) beside it.
#include "descent/nn/functional/cross_entropy.hpp"

#include <algorithm>
#include <cmath>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/elementwise.hpp"

namespace descent::nn::functional {

using autograd::Node;
using autograd::SavedTensor;
using autograd::detail::record;

namespace {

struct CrossEntropyBackward final : Node {
    SavedTensor logits;  // unpacked only under create_graph
    Tensor probs;        // softmax(logits): (N, C), this node's own
    std::vector<int64_t> targets;
    Reduction reduction = Reduction::Mean;
    float smoothing = 0.0f;
    const char* name() const override { return "CrossEntropyBackward"; }

    // loss_i = -Σ_j q_ij log softmax(z_i)_j:  dL/dz_ij = w_i · (softmax(z_i)_j - q_ij),
    // w_i = g/N (mean), g (sum) or g_i (none)
    std::vector<Tensor> apply(Tensor g) override {
        const int64_t N = probs.size(0), C = probs.size(1);
        const float off = smoothing / static_cast<float>(C), on = 1.0f - smoothing + off;
        if (autograd::GradMode::is_enabled()) {  // create_graph: record the same formula
            Tensor q = make_tensor({N, C});
            float* qd = q.data();
            // q: (N, C)
            for (int64_t i = 0; i < N; ++i)
                for (int64_t j = 0; j < C; ++j) qd[i * C + j] = j == targets[i] ? on : off;
            const Tensor w = reduction == Reduction::Mean  ? g / static_cast<float>(N)
                             : reduction == Reduction::Sum ? g
                                                           : reshape(g, {N, 1});
            return {(softmax(logits.unpack(*this), 1) - q) * w};
        }
        Tensor dz = make_tensor({N, C});
        const float* p = probs.data();
        const float* gd = g.data();
        float* d = dz.data();
        const float scale = reduction == Reduction::None   ? 0.0f
                            : reduction == Reduction::Mean ? gd[0] / static_cast<float>(N)
                                                           : gd[0];
        // p, dz: (N, C); g: () or (N)
        for (int64_t i = 0; i < N; ++i) {
            const float w = reduction == Reduction::None ? gd[i] : scale;
            for (int64_t j = 0; j < C; ++j) d[i * C + j] = w * (p[i * C + j] - off);
            d[i * C + targets[i]] -= w * (on - off);
        }
        return {dz};
    }
    void release_saved() override {
        logits.reset();
        probs = Tensor();
        targets.clear();
    }
};

}  // namespace

Tensor cross_entropy(const Tensor& logits, const std::vector<int64_t>& targets, Reduction reduction,
                     float label_smoothing) {
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

    Tensor probs = make_tensor({N, C});
    Tensor loss = make_tensor(reduction == Reduction::None ? Shape{N} : Shape{});
    const float* z = logits.data();
    float* p = probs.data();
    float* l = loss.data();
    std::vector<float> max(static_cast<size_t>(N)), zsum(static_cast<size_t>(N));
    // z, p: (N, C); p = z - max over each row, then exp over the whole buffer at once (SIMD)
    for (int64_t i = 0; i < N; ++i) {
        const float* zi = z + i * C;
        float m = zi[0], s = 0.0f;
        for (int64_t j = 0; j < C; ++j) {
            m = std::max(m, zi[j]);
            s += zi[j];
        }
        max[i] = m;
        zsum[i] = s;
        for (int64_t j = 0; j < C; ++j) p[i * C + j] = zi[j] - m;
    }
    kernels::unary(kernels::Unary::Exp, probs, probs);
    const float eps = label_smoothing, fc = static_cast<float>(C);
    double total = 0.0;
    // p: (N, C) -> softmax; l: (N) or ()
    for (int64_t i = 0; i < N; ++i) {
        float* pi = p + i * C;
        float s = 0.0f;
        for (int64_t j = 0; j < C; ++j) s += pi[j];
        const float lse = max[i] + std::log(s);  // log Σ exp(z_i)
        // -log softmax(z_i)_t = lse - z_t;  -Σ_j log softmax(z_i)_j / C = lse - Σ_j z_j / C
        float li = (1.0f - eps) * (lse - z[i * C + targets[i]]);
        if (eps > 0.0f) li += eps * (lse - zsum[i] / fc);
        if (reduction == Reduction::None) l[i] = li;
        total += li;
        const float inv = 1.0f / s;
        for (int64_t j = 0; j < C; ++j) pi[j] *= inv;
    }
    if (reduction != Reduction::None)
        l[0] = static_cast<float>(reduction == Reduction::Mean ? total / static_cast<double>(N)
                                                               : total);
    if (auto node = record<CrossEntropyBackward>(loss, logits)) {
        node->logits = SavedTensor(logits, false);
        node->probs = std::move(probs);
        node->targets = targets;
        node->reduction = reduction;
        node->smoothing = label_smoothing;
    }
    return loss;
}

}  // namespace descent::nn::functional
