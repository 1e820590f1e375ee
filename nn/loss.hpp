// Loss modules: the functional losses with their options fixed at construction, so a model's loss
// can be chosen and printed like a layer. Each is called with (input, target):
//   nn::CrossEntropyLoss loss_fn(nn::Reduction::Mean, /*label_smoothing=*/0.1f);
//   Tensor loss = loss_fn(logits, labels);
#pragma once

#include <cstdint>
#include <vector>

#include "descent/nn/module.hpp"
#include "descent/nn/reduction.hpp"

namespace descent::nn {

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

// Input: logits (numerically stable).
class BCEWithLogitsLoss : public TensorLoss {
public:
    explicit BCEWithLogitsLoss(Reduction reduction = Reduction::Mean)
        : TensorLoss("BCEWithLogitsLoss", reduction) {}
    Tensor forward(const Tensor& input, const Tensor& target) override;
};

// Input: logits. ValueError unless 0 <= label_smoothing <= 1.
class CrossEntropyLoss : public ClassLoss {
public:
    explicit CrossEntropyLoss(Reduction reduction = Reduction::Mean, float label_smoothing = 0.0f);
    Tensor forward(const Tensor& input, const std::vector<int64_t>& targets) override;
    void pretty_print(std::ostream& os) const override;
    float label_smoothing;
};

// Input: log-probabilities (e.g. from LogSoftmax(1)).
class NLLLoss : public ClassLoss {
public:
    explicit NLLLoss(Reduction reduction = Reduction::Mean) : ClassLoss("NLLLoss", reduction) {}
    Tensor forward(const Tensor& input, const std::vector<int64_t>& targets) override;
};

}  // namespace descent::nn
