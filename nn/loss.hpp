// Loss modules: the functional losses with their options fixed at construction, so a model's loss
// can be chosen and printed like a layer. Each is called with (input, target):
//   nn::CrossEntropyLoss loss_fn(nn::Reduction::Mean, /*label_smoothing=*/0.1f);
//   Tensor loss = loss_fn(logits, labels);
// or, with PyTorch's options, nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().ignore_index(0)).
#pragma once

#include <cstdint>
#include <vector>

#include "descent/nn/functional/loss_options.hpp"
#include "descent/nn/module.hpp"
#include "descent/nn/reduction.hpp"

namespace descent::nn {

// The modules' options are the functional forms' (PyTorch's C++ frontend has a twin of each).
using CrossEntropyLossOptions = functional::CrossEntropyFuncOptions;
using NLLLossOptions = functional::NLLLossFuncOptions;
using BCEWithLogitsLossOptions = functional::BinaryCrossEntropyWithLogitsFuncOptions;
using KLDivLossOptions = functional::KLDivFuncOptions;
using SmoothL1LossOptions = functional::SmoothL1LossFuncOptions;
using CosineEmbeddingLossOptions = functional::CosineEmbeddingLossFuncOptions;
using MarginRankingLossOptions = functional::MarginRankingLossFuncOptions;
using TripletMarginLossOptions = functional::TripletMarginLossFuncOptions;
using PoissonNLLLossOptions = functional::PoissonNLLLossFuncOptions;
using GaussianNLLLossOptions = functional::GaussianNLLLossFuncOptions;

// What every loss module shares: its reduction, printed as "MSELoss(reduction=mean)".
class Loss : public Module {
public:
    Loss(std::string type_name, Reduction reduction)
        : Module(std::move(type_name)), reduction(reduction) {}
    void pretty_print(std::ostream& os) const override;
    Reduction reduction;
};

// A loss of a prediction against a target tensor of the same shape.
class TensorLoss : public Loss {
public:
    using Loss::Loss;
    virtual Tensor forward(const Tensor& input, const Tensor& target) = 0;
    Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
};

// A loss of (N, C) scores against N class labels.
class ClassLoss : public Loss {
public:
    using Loss::Loss;
    virtual Tensor forward(const Tensor& input, const std::vector<int64_t>& targets) = 0;
    Tensor operator()(const Tensor& input, const std::vector<int64_t>& targets) {
        return forward(input, targets);
    }
};

class MSELoss : public TensorLoss {
public:
    explicit MSELoss(Reduction reduction = Reduction::Mean) : TensorLoss("MSELoss", reduction) {}
    Tensor forward(const Tensor& input, const Tensor& target) override;
};

class L1Loss : public TensorLoss {
public:
    explicit L1Loss(Reduction reduction = Reduction::Mean) : TensorLoss("L1Loss", reduction) {}
    Tensor forward(const Tensor& input, const Tensor& target) override;
};

// ValueError unless delta > 0.
class HuberLoss : public TensorLoss {
public:
    explicit HuberLoss(Reduction reduction = Reduction::Mean, float delta = 1.0f);
    Tensor forward(const Tensor& input, const Tensor& target) override;
    void pretty_print(std::ostream& os) const override;
    float delta;
};

// Input: probabilities.
class BCELoss : public TensorLoss {
public:
    explicit BCELoss(Reduction reduction = Reduction::Mean) : TensorLoss("BCELoss", reduction) {}
    Tensor forward(const Tensor& input, const Tensor& target) override;
};

// Input: logits (numerically stable). With options, `weight` and `pos_weight` are buffers (in the
// state dict under those names when given, as PyTorch's).
class BCEWithLogitsLoss : public TensorLoss {
public:
    explicit BCEWithLogitsLoss(Reduction reduction = Reduction::Mean)
        : TensorLoss("BCEWithLogitsLoss", reduction) {}
    explicit BCEWithLogitsLoss(const BCEWithLogitsLossOptions& options);
    Tensor forward(const Tensor& input, const Tensor& target) override;
    Tensor weight, pos_weight;
};

// Input: logits. ValueError unless 0 <= label_smoothing <= 1. With options: a class `weight`
// (a buffer, as PyTorch's) and ignore_index; called with a tensor target, also probability and
// N-d targets (functional::cross_entropy's options form).
class CrossEntropyLoss : public ClassLoss {
public:
    explicit CrossEntropyLoss(Reduction reduction = Reduction::Mean, float label_smoothing = 0.0f);
    explicit CrossEntropyLoss(const CrossEntropyLossOptions& options);
    Tensor forward(const Tensor& input, const std::vector<int64_t>& targets) override;
    Tensor forward(const Tensor& input, const Tensor& target);
    using ClassLoss::operator();
    Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
    void pretty_print(std::ostream& os) const override;
    float label_smoothing;
    Tensor weight;
    int64_t ignore_index = -100;
};

// Input: log-probabilities (e.g. from LogSoftmax(1)). Options as CrossEntropyLoss's.
class NLLLoss : public ClassLoss {
public:
    explicit NLLLoss(Reduction reduction = Reduction::Mean) : ClassLoss("NLLLoss", reduction) {}
    explicit NLLLoss(const NLLLossOptions& options);
    Tensor forward(const Tensor& input, const std::vector<int64_t>& targets) override;
    Tensor forward(const Tensor& input, const Tensor& target);
    using ClassLoss::operator();
    Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
    Tensor weight;
    int64_t ignore_index = -100;
};

// The losses of issue 27, each its functional form with the options given at construction.
// ValueError for an option the functional form refuses (beta < 0, p <= 0, eps < 0 ...).
class SmoothL1Loss : public TensorLoss {
public:
    explicit SmoothL1Loss(const SmoothL1LossOptions& options = {});
    Tensor forward(const Tensor& input, const Tensor& target) override;
    void pretty_print(std::ostream& os) const override;
    SmoothL1LossOptions options;
};

class KLDivLoss : public Module {
public:
    explicit KLDivLoss(const KLDivLossOptions& options = {});
    Tensor forward(const Tensor& input, const Tensor& target);
    Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
    void pretty_print(std::ostream& os) const override;
    KLDivLossOptions options;
};

class PoissonNLLLoss : public TensorLoss {
public:
    explicit PoissonNLLLoss(const PoissonNLLLossOptions& options = {});
    Tensor forward(const Tensor& input, const Tensor& target) override;
    void pretty_print(std::ostream& os) const override;
    PoissonNLLLossOptions options;
};

// Called with (input, target, var).
class GaussianNLLLoss : public Loss {
public:
    explicit GaussianNLLLoss(const GaussianNLLLossOptions& options = {});
    Tensor forward(const Tensor& input, const Tensor& target, const Tensor& var);
    Tensor operator()(const Tensor& input, const Tensor& target, const Tensor& var) {
        return forward(input, target, var);
    }
    void pretty_print(std::ostream& os) const override;
    GaussianNLLLossOptions options;
};

// Called with (input1, input2, target).
class CosineEmbeddingLoss : public Loss {
public:
    explicit CosineEmbeddingLoss(const CosineEmbeddingLossOptions& options = {});
    Tensor forward(const Tensor& input1, const Tensor& input2, const Tensor& target);
    Tensor operator()(const Tensor& input1, const Tensor& input2, const Tensor& target) {
        return forward(input1, input2, target);
    }
    void pretty_print(std::ostream& os) const override;
    CosineEmbeddingLossOptions options;
};

class MarginRankingLoss : public Loss {
public:
    explicit MarginRankingLoss(const MarginRankingLossOptions& options = {});
    Tensor forward(const Tensor& input1, const Tensor& input2, const Tensor& target);
    Tensor operator()(const Tensor& input1, const Tensor& input2, const Tensor& target) {
        return forward(input1, input2, target);
    }
    void pretty_print(std::ostream& os) const override;
    MarginRankingLossOptions options;
};

// Called with (anchor, positive, negative).
class TripletMarginLoss : public Loss {
public:
    explicit TripletMarginLoss(const TripletMarginLossOptions& options = {});
    Tensor forward(const Tensor& anchor, const Tensor& positive, const Tensor& negative);
    Tensor operator()(const Tensor& anchor, const Tensor& positive, const Tensor& negative) {
        return forward(anchor, positive, negative);
    }
    void pretty_print(std::ostream& os) const override;
    TripletMarginLossOptions options;
};

}  // namespace descent::nn
