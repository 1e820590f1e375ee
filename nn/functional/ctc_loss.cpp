// ctc_loss: the inputs checked as PyTorch checks them (and a target equal to blank refused), the
// alpha recursion in log space per sample in double, kept for the backward; the fused backward
// computes beta the same way and the occupancy of each class per frame; under create_graph, the
// gradient of the recursion composed from descent's ops instead.
#include "descent/nn/functional/ctc_loss.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "descent/autograd/engine.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/gather.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::nn::functional {

using autograd::Node;
using autograd::detail::record;

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// log(e^a + e^b), exact at -inf.
inline double log_add(double a, double b) {
    if (a < b) std::swap(a, b);
    if (b == kNegInf) return a;
    return a + std::log1p(std::exp(b - a));
}

// The checked problem: sizes, each sample's lengths and labels.
struct CtcProblem {
    int64_t T = 0, N = 0, C = 0;
    bool batched = true;
    std::vector<int64_t> input_lengths, target_lengths;
    std::vector<int64_t> label_offset;  // sample n's labels: labels[label_offset[n] + i], i < L_n
    std::vector<int64_t> labels;
    std::vector<int64_t> alpha_offset;  // sample n's alphas: (Ti_n, 2L_n + 1) from alpha_offset[n]
    int64_t alpha_size = 0;
    // The extended label s of sample n: blank at even s, l_{(s-1)/2} at odd s.
    int64_t ext(int64_t n, int64_t s, int64_t blank) const {
        return s % 2 == 0 ? blank : labels[static_cast<size_t>(label_offset[n] + s / 2)];
    }
};

std::vector<int64_t> length_vector(const Tensor& t, const char* what) {
    DESCENT_CHECK(t.defined(), ValueError, "ctc_loss(): ", what, " is an undefined tensor");
    DESCENT_CHECK(t.dtype() == kInt64, TypeError, "ctc_loss(): expected int64 ", what, ", got ",
                  t.dtype());
    DESCENT_CHECK(t.dim() <= 1, ShapeError, "ctc_loss(): ", what, " must be 1-D (N) or 0-D, got ",
                  t.shape());
    return t.contiguous().to_vector<int64_t>();
}

CtcProblem check(const Tensor& log_probs, const Tensor& targets, std::vector<int64_t> il,
                 std::vector<int64_t> tl, int64_t blank) {
    DESCENT_CHECK(log_probs.defined(), ValueError, "ctc_loss(): log_probs is an undefined tensor");
    DESCENT_CHECK(log_probs.dim() == 3 || log_probs.dim() == 2, ShapeError,
                  "ctc_loss(): log_probs must be (T, N, C) or unbatched (T, C), got ",
                  log_probs.shape());
    DESCENT_CHECK(log_probs.is_floating_point(), TypeError,
                  "ctc_loss(): expected floating log_probs, got ", log_probs.dtype());
    DESCENT_CHECK(targets.defined(), ValueError, "ctc_loss(): targets is an undefined tensor");
    DESCENT_CHECK(targets.dtype() == kInt64, TypeError, "ctc_loss(): expected int64 targets, got ",
                  targets.dtype());
    CtcProblem p;
    p.batched = log_probs.dim() == 3;
    p.T = log_probs.size(0);
    p.N = p.batched ? log_probs.size(1) : 1;
    p.C = log_probs.size(-1);
    DESCENT_CHECK(blank >= 0 && blank < p.C, ValueError, "ctc_loss(): blank ", blank,
                  " must be in [0, C) for log_probs ", log_probs.shape(), " (C = ", p.C, ")");
    DESCENT_CHECK(static_cast<int64_t>(il.size()) == p.N, ShapeError, "ctc_loss(): log_probs ",
                  log_probs.shape(), " has N = ", p.N, " samples but there are ", il.size(),
                  " input_lengths");
    DESCENT_CHECK(static_cast<int64_t>(tl.size()) == p.N, ShapeError, "ctc_loss(): log_probs ",
                  log_probs.shape(), " has N = ", p.N, " samples but there are ", tl.size(),
                  " target_lengths");
    int64_t total = 0;
    for (int64_t n = 0; n < p.N; ++n) {
        const int64_t Ti = il[static_cast<size_t>(n)], L = tl[static_cast<size_t>(n)];
        DESCENT_CHECK(Ti >= 0 && Ti <= p.T, ValueError, "ctc_loss(): input_lengths[", n, "] = ", Ti,
                      " must be in [0, T = ", p.T, "] for log_probs ", log_probs.shape());
        DESCENT_CHECK(L >= 0, ValueError, "ctc_loss(): target_lengths[", n, "] = ", L,
                      " must be >= 0");
        total += L;
    }
    // Padded (N, S) (unbatched: (S)), or concatenated (sum(target_lengths)).
    const bool padded = p.batched ? targets.dim() == 2 : true;
    if (p.batched) {
        DESCENT_CHECK(targets.dim() == 1 || targets.dim() == 2, ShapeError,
                      "ctc_loss(): targets must be padded (N, S) or concatenated "
                      "(sum(target_lengths)), got ",
                      targets.shape());
    } else {
        DESCENT_CHECK(targets.dim() == 1, ShapeError, "ctc_loss(): unbatched log_probs ",
                      log_probs.shape(), " need 1-D targets (S), got ", targets.shape());
    }
    const int64_t S = targets.dim() == 0 ? 0 : targets.size(-1);
    if (padded) {
        DESCENT_CHECK(!p.batched || targets.size(0) == p.N, ShapeError,
                      "ctc_loss(): padded targets ", targets.shape(), " must have N = ", p.N,
                      " rows for log_probs ", log_probs.shape());
        for (int64_t n = 0; n < p.N; ++n)
            DESCENT_CHECK(tl[static_cast<size_t>(n)] <= S, ShapeError,
                          "ctc_loss(): target_lengths[", n, "] = ", tl[static_cast<size_t>(n)],
                          " exceeds the ", S, " labels per sample of padded targets ",
                          targets.shape());
    } else {
        DESCENT_CHECK(targets.size(0) == total, ShapeError, "ctc_loss(): concatenated targets ",
                      targets.shape(), " must hold sum(target_lengths) = ", total, " labels");
    }
    const std::vector<int64_t> all = targets.contiguous().to_vector<int64_t>();
    p.labels.reserve(static_cast<size_t>(total));
    p.label_offset.resize(static_cast<size_t>(p.N));
    p.alpha_offset.resize(static_cast<size_t>(p.N));
    int64_t pos = 0;
    for (int64_t n = 0; n < p.N; ++n) {
        const int64_t L = tl[static_cast<size_t>(n)];
        const int64_t start = padded ? n * S : pos;
        p.label_offset[static_cast<size_t>(n)] = static_cast<int64_t>(p.labels.size());
        for (int64_t i = 0; i < L; ++i) {
            const int64_t label = all[static_cast<size_t>(start + i)];
            DESCENT_CHECK(label >= 0 && label < p.C && label != blank, IndexError,
                          "ctc_loss(): target label ", label, " (sample ", n, ", position ", i,
                          ") must be in [0, C = ", p.C, ") and not the blank ", blank);
            p.labels.push_back(label);
        }
        pos += L;
        p.alpha_offset[static_cast<size_t>(n)] = p.alpha_size;
        p.alpha_size += il[static_cast<size_t>(n)] * (2 * L + 1);
    }
    p.input_lengths = std::move(il);
    p.target_lengths = std::move(tl);
    return p;
}

// The alpha recursion of sample n over lp (T, N, C): fills alpha (Ti, 2L+1), returns the loss.
template <class T>
double ctc_alpha(const T* lp, const CtcProblem& p, int64_t n, int64_t blank, double* alpha) {
    const int64_t Ti = p.input_lengths[static_cast<size_t>(n)];
    const int64_t L = p.target_lengths[static_cast<size_t>(n)], Lp = 2 * L + 1;
    if (Ti == 0) return L == 0 ? 0.0 : std::numeric_limits<double>::infinity();
    const auto at = [&](int64_t t, int64_t c) {
        return static_cast<double>(lp[(t * p.N + n) * p.C + c]);
    };
    std::fill(alpha, alpha + Lp, kNegInf);
    alpha[0] = at(0, blank);
    if (L > 0) alpha[1] = at(0, p.ext(n, 1, blank));
    for (int64_t t = 1; t < Ti; ++t) {
        const double* prev = alpha + (t - 1) * Lp;
        double* cur = alpha + t * Lp;
        for (int64_t s = 0; s < Lp; ++s) {
            const int64_t l = p.ext(n, s, blank);
            double a = prev[s];
            if (s >= 1) a = log_add(a, prev[s - 1]);
            if (s >= 2 && l != blank && l != p.ext(n, s - 2, blank)) a = log_add(a, prev[s - 2]);
            cur[s] = a == kNegInf ? kNegInf : a + at(t, l);
        }
    }
    const double* last = alpha + (Ti - 1) * Lp;
    const double ll = L > 0 ? log_add(last[Lp - 1], last[Lp - 2]) : last[Lp - 1];
    return -ll;
}

// dloss_n/dlp into grad (T, N, C) scaled by w: beta by the mirrored recursion, then
// grad_t(c) = -w·exp(logsumexp_{s: l'_s = c}(alpha_t(s) + beta_t(s)) + loss - lp_t(c)).
template <class T>
void ctc_backward(const T* lp, const CtcProblem& p, int64_t n, int64_t blank, const double* alpha,
                  double loss, double w, T* grad) {
    const int64_t Ti = p.input_lengths[static_cast<size_t>(n)];
    const int64_t L = p.target_lengths[static_cast<size_t>(n)], Lp = 2 * L + 1;
    if (Ti == 0) return;
    const auto at = [&](int64_t t, int64_t c) {
        return static_cast<double>(lp[(t * p.N + n) * p.C + c]);
    };
    std::vector<double> beta(static_cast<size_t>(Lp), kNegInf), next(static_cast<size_t>(Lp));
    std::vector<double> occ(static_cast<size_t>(p.C));
    for (int64_t t = Ti - 1; t >= 0; --t) {
        if (t == Ti - 1) {
            beta[static_cast<size_t>(Lp - 1)] = at(t, blank);
            if (L > 0) beta[static_cast<size_t>(Lp - 2)] = at(t, p.ext(n, Lp - 2, blank));
        } else {
            next.swap(beta);  // next = beta_{t+1}
            for (int64_t s = 0; s < Lp; ++s) {
                const int64_t l = p.ext(n, s, blank);
                double b = next[static_cast<size_t>(s)];
                if (s + 1 < Lp) b = log_add(b, next[static_cast<size_t>(s + 1)]);
                if (s + 2 < Lp && l != blank && l != p.ext(n, s + 2, blank))
                    b = log_add(b, next[static_cast<size_t>(s + 2)]);
                beta[static_cast<size_t>(s)] = b == kNegInf ? kNegInf : b + at(t, l);
            }
        }
        std::fill(occ.begin(), occ.end(), kNegInf);
        const double* a = alpha + t * Lp;
        for (int64_t s = 0; s < Lp; ++s) {
            double& o = occ[static_cast<size_t>(p.ext(n, s, blank))];
            o = log_add(o, a[s] + beta[static_cast<size_t>(s)]);
        }
        T* g = grad + (t * p.N + n) * p.C;
        for (int64_t c = 0; c < p.C; ++c)
            g[c] = static_cast<T>(-w * std::exp(occ[static_cast<size_t>(c)] + loss - at(t, c)));
    }
}

// The same loss built from descent's ops (the recursion batched over samples, one logsumexp of
// the stacked shifted alphas per frame), so that its gradient can be differentiated again. An
// unreachable state holds -1e30 rather than -inf (no NaN in the gradients of logsumexp); losses
// are those of the fused forward (`losses`) wherever one is infinite or input_length is 0.
Tensor ctc_loss_composed(const Tensor& lp, const CtcProblem& p, int64_t blank,
                         const std::vector<double>& losses, Reduction reduction,
                         bool zero_infinity) {
    const int64_t N = p.N, T = p.T, C = p.C;
    const Tensor lp3 = reshape(lp, {T, N, C});
    int64_t max_l = 0;
    for (int64_t L : p.target_lengths) max_l = std::max(max_l, L);
    const int64_t Lp = 2 * max_l + 1;
    // ext: (N, Lp) extended labels (blank past a sample's 2L+1); skip: where s-2 -> s is allowed
    std::vector<int64_t> ext(static_cast<size_t>(N * Lp), blank), last_t(static_cast<size_t>(N)),
        ends(static_cast<size_t>(2 * N));
    std::vector<bool> skip(static_cast<size_t>(N * Lp), false), start(ext.size(), false),
        end_ok(ends.size(), false), fixed(static_cast<size_t>(N), false);
    std::vector<double> fixed_value(static_cast<size_t>(N), 0.0);
    for (int64_t n = 0; n < N; ++n) {
        const int64_t L = p.target_lengths[static_cast<size_t>(n)];
        const int64_t Ti = p.input_lengths[static_cast<size_t>(n)];
        const double fused = losses[static_cast<size_t>(n)];
        for (int64_t s = 0; s < 2 * L + 1; ++s) {
            const size_t i = static_cast<size_t>(n * Lp + s);
            ext[i] = p.ext(n, s, blank);
            skip[i] = s >= 2 && ext[i] != blank && ext[i] != p.ext(n, s - 2, blank);
            start[i] = s == 0 || s == 1;
        }
        last_t[static_cast<size_t>(n)] = std::max<int64_t>(Ti - 1, 0);
        ends[static_cast<size_t>(2 * n)] = 2 * L;
        ends[static_cast<size_t>(2 * n + 1)] = L > 0 ? 2 * L - 1 : 0;
        end_ok[static_cast<size_t>(2 * n)] = 1;
        end_ok[static_cast<size_t>(2 * n + 1)] = L > 0;
        fixed[static_cast<size_t>(n)] = Ti == 0 || std::isinf(fused);
        fixed_value[static_cast<size_t>(n)] = zero_infinity && std::isinf(fused) ? 0.0 : fused;
    }
    const TensorOptions opts(lp.dtype());
    const Tensor neg = scalar_tensor(-1e30, opts);
    const Tensor ext_t = tensor(ext, {N, Lp}, kInt64);
    const Tensor skip_t = tensor(skip, {N, Lp}, kBool), start_t = tensor(start, {N, Lp}, kBool);
    // alpha_t(s) = lp_t(l'_s) + logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1), alpha_{t-1}(s-2))
    std::vector<Tensor> alphas;
    alphas.reserve(static_cast<size_t>(T));
    for (int64_t t = 0; t < T; ++t) {
        const Tensor emit = gather(lp3.select(0, t), 1, ext_t);  // (N, Lp)
        if (t == 0) {
            alphas.push_back(where(start_t, emit, neg));
            continue;
        }
        const Tensor& prev = alphas.back();
        const Tensor pad = full({N, 2}, -1e30, opts);
        const Tensor s1 = cat({narrow(pad, 1, 0, 1), narrow(prev, 1, 0, Lp - 1)}, 1);
        const Tensor s2 =
            Lp >= 2 ? cat({pad, narrow(prev, 1, 0, Lp - 2)}, 1) : full({N, Lp}, -1e30, opts);
        alphas.push_back(logsumexp(stack({prev, s1, where(skip_t, s2, neg)}, 0), 0) + emit);
    }
    // loss_n = -logsumexp(alpha_{Ti-1}(2L), alpha_{Ti-1}(2L-1))
    std::vector<int64_t> t_index(static_cast<size_t>(N * Lp));
    for (int64_t n = 0; n < N; ++n)
        std::fill_n(t_index.begin() + n * Lp, Lp, last_t[static_cast<size_t>(n)]);
    const Tensor at_end =
        reshape(gather(stack(alphas, 0), 0, tensor(t_index, {1, N, Lp}, kInt64)), {N, Lp});
    const Tensor final_two =
        where(tensor(end_ok, {N, 2}, kBool), gather(at_end, 1, tensor(ends, {N, 2}, kInt64)), neg);
    Tensor loss =
        where(tensor(fixed, {N}, kBool), tensor(fixed_value, {N}, opts), -logsumexp(final_two, 1));
    if (reduction == Reduction::None) return p.batched ? loss : reshape(loss, {});
    if (reduction == Reduction::Sum) return sum(loss);
    std::vector<double> inv(static_cast<size_t>(N));
    for (int64_t n = 0; n < N; ++n)
        inv[static_cast<size_t>(n)] =
            1.0 /
            static_cast<double>(N * std::max<int64_t>(p.target_lengths[static_cast<size_t>(n)], 1));
    return sum(loss * tensor(inv, {N}, opts));
}

struct CtcLossBackward final : Node {
    // saved: log_probs, contiguous
    CtcProblem problem;
    int64_t blank = 0;
    Reduction reduction = Reduction::Mean;
    bool zero_infinity = false;
    std::vector<double> alpha, losses;  // the forward's, per sample (losses before zero_infinity)
    const char* name() const override { return "CtcLossBackward"; }
    void release() override {
        Node::release();
        alpha = {};
    }
    std::vector<Tensor> apply(Tensor g) override;
};

// loss_n = -log Σ_alignments Π_t exp(lp_t(l'_π(t))):  dL/dlp_t(c) =
// -w_n·exp(logsumexp_{s: l'_s = c}(α_t(s) + β_t(s)) + loss_n - lp_t(c)),
// w_n = g/(N·max(L_n, 1)) (mean), g (sum), g_n (none); 0 for t ≥ Ti or a loss zero_infinity zeroed;
// under create_graph, autograd of the recursion built of ops
std::vector<Tensor> CtcLossBackward::apply(Tensor g) {
    const Tensor lp = saved(0);
    const CtcProblem& p = problem;
    if (autograd::GradMode::is_enabled()) {
        const Tensor composed = ctc_loss_composed(lp, p, blank, losses, reduction, zero_infinity);
        return autograd::grad({composed}, {lp}, {g}, /*retain_graph=*/true,
                              /*create_graph=*/true);
    }
    Tensor grad = zeros(lp.shape(), lp.dtype());
    ops_detail::visit_floating(lp.dtype(), "ctc_loss", [&](auto tag) {
        using T = decltype(tag);
        const std::vector<double> gd = g.contiguous().to(kFloat64).to_vector<double>();
        for (int64_t n = 0; n < p.N; ++n) {
            const double loss = losses[static_cast<size_t>(n)];
            if (zero_infinity && std::isinf(loss)) continue;
            const int64_t L = p.target_lengths[static_cast<size_t>(n)];
            const double w = reduction == Reduction::None ? gd[static_cast<size_t>(n)]
                             : reduction == Reduction::Sum
                                 ? gd[0]
                                 : gd[0] / (static_cast<double>(p.N) *
                                            static_cast<double>(std::max<int64_t>(L, 1)));
            ctc_backward(lp.data<T>(), p, n, blank,
                         alpha.data() + p.alpha_offset[static_cast<size_t>(n)], loss, w,
                         grad.data<T>());
        }
    });
    return {grad};
}

Tensor ctc_loss_impl(const Tensor& log_probs_, const Tensor& targets, std::vector<int64_t> il,
                     std::vector<int64_t> tl, const CTCLossFuncOptions& options) {
    CtcProblem p = check(log_probs_, targets, std::move(il), std::move(tl), options.blank());
    const Tensor log_probs = log_probs_.contiguous();
    const int64_t blank = options.blank();
    std::vector<double> alpha(static_cast<size_t>(p.alpha_size)), losses(static_cast<size_t>(p.N));
    ops_detail::visit_floating(log_probs.dtype(), "ctc_loss", [&](auto tag) {
        using T = decltype(tag);
        for (int64_t n = 0; n < p.N; ++n)
            losses[static_cast<size_t>(n)] =
                ctc_alpha(log_probs.data<T>(), p, n, blank,
                          alpha.data() + p.alpha_offset[static_cast<size_t>(n)]);
    });
    std::vector<double> out(losses);
    if (options.zero_infinity())
        for (double& v : out)
            if (std::isinf(v)) v = 0.0;
    const Reduction r = options.reduction();
    Tensor loss;
    if (r == Reduction::None) {
        loss = tensor(out, p.batched ? Shape{p.N} : Shape{}, log_probs.dtype());
    } else {
        double total = 0.0;
        for (int64_t n = 0; n < p.N; ++n)
            total += r == Reduction::Sum ? out[static_cast<size_t>(n)]
                                         : out[static_cast<size_t>(n)] /
                                               static_cast<double>(std::max<int64_t>(
                                                   p.target_lengths[static_cast<size_t>(n)], 1));
        if (r == Reduction::Mean) total /= static_cast<double>(p.N);  // 0/0 = NaN for N = 0
        loss = tensor(std::vector<double>{total}, Shape{}, log_probs.dtype());
    }
    if (auto node = record<CtcLossBackward>(loss, log_probs)) {
        node->save_for_backward({log_probs});
        node->problem = std::move(p);
        node->blank = blank;
        node->reduction = r;
        node->zero_infinity = options.zero_infinity();
        node->alpha = std::move(alpha);
        node->losses = std::move(losses);
    }
    return loss;
}

}  // namespace

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, const CTCLossFuncOptions& options, CallSite) {
    return ctc_loss_impl(log_probs, targets, length_vector(input_lengths, "input_lengths"),
                         length_vector(target_lengths, "target_lengths"), options);
}

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets,
                const std::vector<int64_t>& input_lengths,
                const std::vector<int64_t>& target_lengths, const CTCLossFuncOptions& options,
                CallSite) {
    return ctc_loss_impl(log_probs, targets, input_lengths, target_lengths, options);
}

}  // namespace descent::nn::functional
