// Activation layers: modules around descent's elementwise activations and softmax, so that they
// can sit in a Sequential. None has parameters.
#pragma once

#include <cstdint>
#include <string>

#include "descent/nn/module.hpp"

namespace descent::nn {

class ReLU : public Module {
public:
    ReLU() : Module("ReLU") {}
    Tensor forward(const Tensor& x) override;
};

class LeakyReLU : public Module {
public:
    explicit LeakyReLU(float negative_slope = 0.01f);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    float negative_slope;
};

class Sigmoid : public Module {
public:
    Sigmoid() : Module("Sigmoid") {}
    Tensor forward(const Tensor& x) override;
};

class Tanh : public Module {
public:
    Tanh() : Module("Tanh") {}
    Tensor forward(const Tensor& x) override;
};

// approximate: "none" (exact, through erf) or "tanh"; ValueError otherwise.
class GELU : public Module {
public:
    explicit GELU(std::string approximate = "none");
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    std::string approximate;
};

// log(1 + exp(β·x))/β, and x where β·x > threshold (functional::softplus).
class Softplus : public Module {
public:
    explicit Softplus(float beta = 1.0f, float threshold = 20.0f);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    float beta, threshold;
};

class LogSigmoid : public Module {
public:
    LogSigmoid() : Module("LogSigmoid") {}
    Tensor forward(const Tensor& x) override;
};

// Along `dim`, checked against the input's shape when called.
class Softmax : public Module {
public:
    explicit Softmax(int64_t dim);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t dim;
};

class LogSoftmax : public Module {
public:
    explicit LogSoftmax(int64_t dim);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t dim;
};

}  // namespace descent::nn
