// Activation layers: modules around descent's elementwise activations and softmax, so that they
// can sit in a Sequential. Only PReLU has a parameter (its `weight`).
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

// x if x > 0, else α·(exp(x) - 1) (functional::elu).
class ELU : public Module {
public:
    explicit ELU(float alpha = 1.0f);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    float alpha;
};

class SELU : public Module {
public:
    SELU() : Module("SELU") {}
    Tensor forward(const Tensor& x) override;
};

class SiLU : public Module {
public:
    SiLU() : Module("SiLU") {}
    Tensor forward(const Tensor& x) override;
};

class Mish : public Module {
public:
    Mish() : Module("Mish") {}
    Tensor forward(const Tensor& x) override;
};

// clamp(x, min_val, max_val), gradient 0 at the bounds. ValueError unless max_val > min_val (as
// PyTorch's module asserts).
class Hardtanh : public Module {
public:
    explicit Hardtanh(float min_val = -1.0f, float max_val = 1.0f);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    float min_val, max_val;
};

class ReLU6 : public Module {
public:
    ReLU6() : Module("ReLU6") {}
    Tensor forward(const Tensor& x) override;
};

class Hardswish : public Module {
public:
    Hardswish() : Module("Hardswish") {}
    Tensor forward(const Tensor& x) override;
};

class Hardsigmoid : public Module {
public:
    Hardsigmoid() : Module("Hardsigmoid") {}
    Tensor forward(const Tensor& x) override;
};

// x if x > 0, else a·x with a learnable: one `weight` of num_parameters elements, each `init`
// (PyTorch's 0.25), either shared (1) or one per channel (dim 1 of the input). ValueError unless
// num_parameters >= 1.
class PReLU : public Module {
public:
    explicit PReLU(int64_t num_parameters = 1, float init = 0.25f);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t num_parameters;
    Tensor weight;
};

// softmax(-x) along `dim`.
class Softmin : public Module {
public:
    explicit Softmin(int64_t dim);
    Tensor forward(const Tensor& x) override;
    void pretty_print(std::ostream& os) const override;
    int64_t dim;
};

class Softsign : public Module {
public:
    Softsign() : Module("Softsign") {}
    Tensor forward(const Tensor& x) override;
};

class Tanhshrink : public Module {
public:
    Tanhshrink() : Module("Tanhshrink") {}
    Tensor forward(const Tensor& x) override;
};

}  // namespace descent::nn
