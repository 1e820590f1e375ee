// Activation layers: each against its defining formula on known values, gradients through
// CHECK_GRADIENTS, printing and constructor errors.
#include "support.hpp"

#include <cmath>
#include <sstream>

#include "descent/nn/activation.hpp"
#include "descent/nn/sequential.hpp"

using namespace descent;
using V = std::vector<Tensor>;

using test::printed;

TEST_CASE("activation layers on known values") {
    const Tensor x = tensor({-2, -0.5f, 0.5f, 3}, {2, 2});
    CHECK_VALUES(nn::ReLU()(x), {2, 2}, {0, 0, 0.5f, 3});
    CHECK_VALUES(nn::LeakyReLU()(x), {2, 2}, {-0.02f, -0.005f, 0.5f, 3});
    CHECK_VALUES(nn::LeakyReLU(0.2f)(x), {2, 2}, {-0.4f, -0.1f, 0.5f, 3});
    auto sig = [](float v) { return 1.0f / (1.0f + std::exp(-v)); };
    CHECK_VALUES(nn::Sigmoid()(x), {2, 2}, {sig(-2), sig(-0.5f), sig(0.5f), sig(3)});
    CHECK_VALUES(nn::Tanh()(x), {2, 2},
                 {std::tanh(-2.0f), std::tanh(-0.5f), std::tanh(0.5f), std::tanh(3.0f)});
    auto gelu = [](float v) { return 0.5f * v * (1 + std::erf(v / std::sqrt(2.0f))); };
    CHECK_VALUES(nn::GELU()(x), {2, 2}, {gelu(-2), gelu(-0.5f), gelu(0.5f), gelu(3)});
    CHECK(allclose(nn::GELU("tanh")(x), nn::GELU()(x), 1e-3, 1e-3));
    // softmax over rows: row 0 is (-2, -0.5): e^-1.5 / (1 + e^-1.5) for the first.
    const float a = std::exp(-1.5f) / (1 + std::exp(-1.5f));
    CHECK_VALUES(nn::Softmax(1)(x), {2, 2},
                 {a, 1 - a, 1 / (1 + std::exp(2.5f)), 1 / (1 + std::exp(-2.5f))});
    CHECK_VALUES(
        nn::LogSoftmax(-1)(x), {2, 2},
        {std::log(a), std::log(1 - a), -std::log1p(std::exp(2.5f)), -std::log1p(std::exp(-2.5f))});
    // softplus log(1 + exp(x)) and logsigmoid -log(1 + exp(-x)); Softplus(2, 1) is x where 2x > 1.
    auto sp = [](float v) { return std::log1p(std::exp(v)); };
    CHECK_VALUES(nn::Softplus()(x), {2, 2}, {sp(-2), sp(-0.5f), sp(0.5f), sp(3)});
    CHECK_VALUES(nn::Softplus(2, 1)(x), {2, 2}, {sp(-4) / 2, sp(-1) / 2, sp(1) / 2, 3});
    CHECK_VALUES(nn::LogSigmoid()(x), {2, 2}, {-sp(2), -sp(0.5f), -sp(-0.5f), -sp(-3)});
    // Softmax along dim 0 instead: columns.
    CHECK(allclose(nn::Softmax(0)(x), softmax(x, 0)));
}

TEST_CASE("activation layers: gradients first and second order") {
    const Tensor x = test::away_from_zero({3, 4}, 1, 0.1f, 2.0f);
    std::vector<std::shared_ptr<nn::Module>> layers = {
        std::make_shared<nn::ReLU>(),      std::make_shared<nn::LeakyReLU>(0.1f),
        std::make_shared<nn::Sigmoid>(),   std::make_shared<nn::Tanh>(),
        std::make_shared<nn::GELU>(),      std::make_shared<nn::GELU>("tanh"),
        std::make_shared<nn::Softmax>(1),  std::make_shared<nn::LogSoftmax>(0),
        std::make_shared<nn::Softplus>(),  std::make_shared<nn::Softplus>(0.5f, 0.5f),
        std::make_shared<nn::LogSigmoid>()};
    for (const auto& layer : layers) {
        INFO(printed(*layer));
        CHECK_GRADIENTS([layer](const V& v) { return (*layer)(v[0]); }, V{x});
    }
}

TEST_CASE("activation layers: printing and constructor errors") {
    CHECK(printed(nn::ReLU()) == "ReLU()");
    CHECK(printed(nn::LeakyReLU(0.2f)) == "LeakyReLU(negative_slope=0.2)");
    CHECK(printed(nn::Sigmoid()) == "Sigmoid()");
    CHECK(printed(nn::Tanh()) == "Tanh()");
    CHECK(printed(nn::GELU()) == "GELU(approximate=none)");
    CHECK(printed(nn::GELU("tanh")) == "GELU(approximate=tanh)");
    CHECK(printed(nn::Softmax(1)) == "Softmax(dim=1)");
    CHECK(printed(nn::LogSoftmax(-1)) == "LogSoftmax(dim=-1)");
    CHECK(printed(nn::Softplus()) == "Softplus(beta=1, threshold=20)");  // as torch prints it
    CHECK(printed(nn::Softplus(0.5f, 10)) == "Softplus(beta=0.5, threshold=10)");
    CHECK(printed(nn::LogSigmoid()) == "LogSigmoid()");
    CHECK_ERROR(ValueError, [] { nn::GELU("erf"); }, {"GELU()", "\"erf\""});
    // dim is checked against the input when called.
    CHECK_ERROR(IndexError,
                [] {
                    nn::Softmax(2)(zeros({2, 2}));
                },
                {"softmax()", "dim 2", "(2, 2)"});
    // None has parameters.
    CHECK(nn::Sequential(nn::ReLU(), nn::GELU(), nn::Softmax(0)).parameters().empty());
}

TEST_CASE("the activation layers added for issue 27: values, gradients, printing, errors") {
    const Tensor x = tensor({-4, -1, 0.5f, 3.5f}, {2, 2});
    CHECK_VALUES(nn::ELU()(x), {2, 2}, {std::expm1(-4.0f), std::expm1(-1.0f), 0.5f, 3.5f});
    CHECK_VALUES(nn::ELU(2)(x), {2, 2}, {2 * std::expm1(-4.0f), 2 * std::expm1(-1.0f), 0.5f, 3.5f});
    CHECK_VALUES(nn::Hardtanh(-2, 2)(x), {2, 2}, {-2, -1, 0.5f, 2});
    CHECK_VALUES(nn::ReLU6()(x * 2.0f), {2, 2}, {0, 0, 1, 6});
    CHECK_VALUES(nn::Hardswish()(x), {2, 2}, {0, -1.0f / 3, 0.5f * 3.5f / 6, 3.5f});
    CHECK_VALUES(nn::Hardsigmoid()(x), {2, 2}, {0, 1.0f / 3, 0.5f / 6 + 0.5f, 1});
    CHECK_VALUES(nn::Softsign()(x), {2, 2}, {-0.8f, -0.5f, 0.5f / 1.5f, 3.5f / 4.5f});
    CHECK_VALUES(nn::Tanhshrink()(x), {2, 2},
                 {-4 - std::tanh(-4.0f), -1 - std::tanh(-1.0f), 0.5f - std::tanh(0.5f),
                  3.5f - std::tanh(3.5f)});
    CHECK(equal(nn::Softmin(1)(x), softmax(-x, 1)));
    CHECK(equal(nn::SiLU()(x), x * sigmoid(x)));
    CHECK(allclose(nn::SELU()(x), nn::ELU(1.6732632f)(x) * 1.0507010f));
    CHECK(allclose(nn::Mish()(x), x * tanh(log1p(exp(x)))));

    // PReLU: one learnable `weight`, PyTorch's init 0.25, one per channel (dim 1) if asked.
    nn::PReLU shared;
    CHECK(shared.parameters().size() == 1);
    CHECK(shared.named_parameters()[0].first == "weight");
    CHECK_VALUES(shared.weight, {1}, {0.25f});
    CHECK_VALUES(shared(x), {2, 2}, {-1, -0.25f, 0.5f, 3.5f});
    nn::PReLU per_channel(2, 0.5f);
    CHECK_VALUES(per_channel.weight, {2}, {0.5f, 0.5f});
    per_channel.weight.data()[1] = 2.0f;
    CHECK_VALUES(per_channel(x), {2, 2}, {-2, -2, 0.5f, 3.5f});
    per_channel(x).sum().backward();
    CHECK_VALUES(per_channel.weight.grad(), {2}, {-4, -1});  // Σ x over x <= 0, per column

    const Tensor g = test::away_from_zero({3, 4}, 2, 0.1f, 2.0f);
    std::vector<std::shared_ptr<nn::Module>> layers = {
        std::make_shared<nn::ELU>(0.5f),   std::make_shared<nn::SELU>(),
        std::make_shared<nn::SiLU>(),      std::make_shared<nn::Mish>(),
        std::make_shared<nn::Hardtanh>(),  std::make_shared<nn::ReLU6>(),
        std::make_shared<nn::Hardswish>(), std::make_shared<nn::Hardsigmoid>(),
        std::make_shared<nn::PReLU>(4),    std::make_shared<nn::Softmin>(1),
        std::make_shared<nn::Softsign>(),  std::make_shared<nn::Tanhshrink>()};
    for (const auto& layer : layers) {
        INFO(printed(*layer));
        CHECK_GRADIENTS([layer](const V& v) { return (*layer)(v[0]); }, V{g});
    }

    CHECK(printed(nn::ELU()) == "ELU(alpha=1)");
    CHECK(printed(nn::SELU()) == "SELU()");
    CHECK(printed(nn::SiLU()) == "SiLU()");
    CHECK(printed(nn::Mish()) == "Mish()");
    CHECK(printed(nn::Hardtanh(-2, 3)) == "Hardtanh(min_val=-2, max_val=3)");
    CHECK(printed(nn::ReLU6()) == "ReLU6()");
    CHECK(printed(nn::Hardswish()) == "Hardswish()");
    CHECK(printed(nn::Hardsigmoid()) == "Hardsigmoid()");
    CHECK(printed(nn::PReLU(3)) == "PReLU(num_parameters=3)");
    CHECK(printed(nn::Softmin(0)) == "Softmin(dim=0)");
    CHECK(printed(nn::Softsign()) == "Softsign()");
    CHECK(printed(nn::Tanhshrink()) == "Tanhshrink()");
    CHECK_ERROR(ValueError, [] { nn::Hardtanh(1, 1); }, {"Hardtanh()", "max_val 1", "min_val 1"});
    CHECK_ERROR(ValueError, [] { nn::PReLU(0); }, {"PReLU()", "num_parameters", "0"});
    CHECK_ERROR(ShapeError, [] { nn::PReLU(3)(zeros({2, 4})); }, {"prelu()", "3 parameters"});
}
