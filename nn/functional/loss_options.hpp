// Options of the losses that take more than a reduction, spelled as PyTorch's C++ frontend spells
// them: `CrossEntropyFuncOptions().ignore_index(0).weight(w)`; each setter returns the options,
// each getter of the same name reads them.
#pragma once

#include <cstdint>
#include <utility>

#include "descent/core/tensor.hpp"
#include "descent/nn/reduction.hpp"

namespace descent::nn::functional {

// A field with a chaining setter and a getter, both called `name`.
#define DESCENT_LOSS_ARG(Options, T, name, init) \
public:                                          \
    Options& name(T value) {                     \
        name##_ = std::move(value);              \
        return *this;                            \
    }                                            \
    const T& name() const { return name##_; }    \
                                                 \
private:                                         \
    T name##_ = init

// weight: (C) per-class factors (undefined: all 1); a target equal to ignore_index adds nothing
// and is not counted by the mean; label_smoothing in [0, 1].
struct CrossEntropyFuncOptions {
    DESCENT_LOSS_ARG(CrossEntropyFuncOptions, Tensor, weight, Tensor());
    DESCENT_LOSS_ARG(CrossEntropyFuncOptions, int64_t, ignore_index, -100);
    DESCENT_LOSS_ARG(CrossEntropyFuncOptions, Reduction, reduction, Reduction::Mean);
    DESCENT_LOSS_ARG(CrossEntropyFuncOptions, double, label_smoothing, 0.0);
};

struct NLLLossFuncOptions {
    DESCENT_LOSS_ARG(NLLLossFuncOptions, Tensor, weight, Tensor());
    DESCENT_LOSS_ARG(NLLLossFuncOptions, int64_t, ignore_index, -100);
    DESCENT_LOSS_ARG(NLLLossFuncOptions, Reduction, reduction, Reduction::Mean);
};

// kl_div's reductions: PyTorch's four, batchmean (the sum over the batch size) being the one that
// gives the true KL divergence per sample.
enum class KLDivReduction { Mean, Sum, None, BatchMean };
const char* to_string(KLDivReduction r);

struct KLDivFuncOptions {
    DESCENT_LOSS_ARG(KLDivFuncOptions, KLDivReduction, reduction, KLDivReduction::Mean);
    DESCENT_LOSS_ARG(KLDivFuncOptions, bool, log_target, false);

public:
    KLDivFuncOptions& reduction(Reduction r) {  // the reductions every loss shares
        reduction_ = r == Reduction::Mean  ? KLDivReduction::Mean
                     : r == Reduction::Sum ? KLDivReduction::Sum
                                           : KLDivReduction::None;
        return *this;
    }
};

// weight: broadcast to the input (a factor per element); pos_weight: broadcast along the last
// dim (one factor per class for the positive term).
struct BinaryCrossEntropyWithLogitsFuncOptions {
    DESCENT_LOSS_ARG(BinaryCrossEntropyWithLogitsFuncOptions, Tensor, weight, Tensor());
    DESCENT_LOSS_ARG(BinaryCrossEntropyWithLogitsFuncOptions, Reduction, reduction,
                     Reduction::Mean);
    DESCENT_LOSS_ARG(BinaryCrossEntropyWithLogitsFuncOptions, Tensor, pos_weight, Tensor());
};

struct SmoothL1LossFuncOptions {
    DESCENT_LOSS_ARG(SmoothL1LossFuncOptions, Reduction, reduction, Reduction::Mean);
    DESCENT_LOSS_ARG(SmoothL1LossFuncOptions, double, beta, 1.0);
};

struct HuberLossFuncOptions {
    DESCENT_LOSS_ARG(HuberLossFuncOptions, Reduction, reduction, Reduction::Mean);
    DESCENT_LOSS_ARG(HuberLossFuncOptions, double, delta, 1.0);
};

struct CosineEmbeddingLossFuncOptions {
    DESCENT_LOSS_ARG(CosineEmbeddingLossFuncOptions, double, margin, 0.0);
    DESCENT_LOSS_ARG(CosineEmbeddingLossFuncOptions, Reduction, reduction, Reduction::Mean);
};

struct MarginRankingLossFuncOptions {
    DESCENT_LOSS_ARG(MarginRankingLossFuncOptions, double, margin, 0.0);
    DESCENT_LOSS_ARG(MarginRankingLossFuncOptions, Reduction, reduction, Reduction::Mean);
};

struct TripletMarginLossFuncOptions {
    DESCENT_LOSS_ARG(TripletMarginLossFuncOptions, double, margin, 1.0);
    DESCENT_LOSS_ARG(TripletMarginLossFuncOptions, double, p, 2.0);
    DESCENT_LOSS_ARG(TripletMarginLossFuncOptions, double, eps, 1e-6);
    DESCENT_LOSS_ARG(TripletMarginLossFuncOptions, bool, swap, false);
    DESCENT_LOSS_ARG(TripletMarginLossFuncOptions, Reduction, reduction, Reduction::Mean);
};

struct PoissonNLLLossFuncOptions {
    DESCENT_LOSS_ARG(PoissonNLLLossFuncOptions, bool, log_input, true);
    DESCENT_LOSS_ARG(PoissonNLLLossFuncOptions, bool, full, false);
    DESCENT_LOSS_ARG(PoissonNLLLossFuncOptions, double, eps, 1e-8);
    DESCENT_LOSS_ARG(PoissonNLLLossFuncOptions, Reduction, reduction, Reduction::Mean);
};

struct GaussianNLLLossFuncOptions {
    DESCENT_LOSS_ARG(GaussianNLLLossFuncOptions, bool, full, false);
    DESCENT_LOSS_ARG(GaussianNLLLossFuncOptions, double, eps, 1e-6);
    DESCENT_LOSS_ARG(GaussianNLLLossFuncOptions, Reduction, reduction, Reduction::Mean);
};

#undef DESCENT_LOSS_ARG

}  // namespace descent::nn::functional
