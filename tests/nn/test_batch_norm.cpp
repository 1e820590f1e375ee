// nn::BatchNorm1d / BatchNorm2d: initialisation, running statistics over several steps against
// PyTorch's documented update rule, eval mode, momentum = None, the state dict, gradients, errors.
#include "support.hpp"

#include <cmath>
#include <sstream>

#include "descent/nn/batch_norm.hpp"
#include "descent/nn/functional/batch_norm.hpp"
#include "io/scratch.hpp"

using namespace descent;
using V = std::vector<Tensor>;

namespace {
// num_batches_tracked's value; -1 unless it is the int64 () tensor PyTorch keeps.
int64_t count_of(const Tensor& t) {
    return t.dtype() == kInt64 && t.dim() == 0 ? t.item<int64_t>() : -1;
}

// Per-channel mean and unbiased variance of x (N, C, *), in double: the reference statistics.
void reference_stats(const Tensor& x, std::vector<double>& mean, std::vector<double>& var) {
    const int64_t n = x.size(0), c = x.size(1), s = x.numel() / (n * c);
    mean.assign(c, 0.0);
    var.assign(c, 0.0);
    for (int64_t j = 0; j < c; ++j) {
        for (int64_t i = 0; i < n; ++i)
            for (int64_t k = 0; k < s; ++k) mean[j] += x.data()[(i * c + j) * s + k];
        mean[j] /= static_cast<double>(n * s);
        for (int64_t i = 0; i < n; ++i)
            for (int64_t k = 0; k < s; ++k) {
                const double d = x.data()[(i * c + j) * s + k] - mean[j];
                var[j] += d * d;
            }
        var[j] /= static_cast<double>(n * s - 1);
    }
}
}  // namespace

TEST_CASE("BatchNorm: PyTorch's initialisation, buffers and state-dict keys") {
    nn::BatchNorm2d bn(3);
    CHECK_VALUES(bn.weight, {3}, {1, 1, 1});
    CHECK_VALUES(bn.bias, {3}, {0, 0, 0});
    CHECK_VALUES(bn.running_mean, {3}, {0, 0, 0});
    CHECK_VALUES(bn.running_var, {3}, {1, 1, 1});
    CHECK(count_of(bn.num_batches_tracked) == 0);
    CHECK(bn.parameters().size() == 2);
    std::vector<std::string> keys;
    for (const auto& entry : bn.state_dict()) keys.push_back(entry.first);
    CHECK(keys == std::vector<std::string>{"weight", "bias", "running_mean", "running_var",
                                           "num_batches_tracked"});
    CHECK(bn.eps == 1e-5f);
    CHECK(bn.momentum == 0.1f);
    std::ostringstream os;
    os << bn;
    CHECK(os.str() ==
          "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=true, track_running_stats=true)");
    nn::BatchNorm1d plain(4, 1e-3f, std::nullopt, false, false);
    CHECK(plain.parameters().empty());
    CHECK(plain.state_dict().empty());
}

TEST_CASE("BatchNorm: running statistics after 3 steps follow PyTorch's rule") {
    for (const bool two_d : {false, true}) {
        CAPTURE(two_d);
        nn::BatchNorm1d bn1(3, 1e-5f, 0.3f);
        nn::BatchNorm2d bn2(3, 1e-5f, 0.3f);
        nn::BatchNorm& bn = two_d ? static_cast<nn::BatchNorm&>(bn2) : bn1;
        std::vector<double> rm(3, 0.0), rv(3, 1.0), mean, var;
        for (uint64_t step = 0; step < 3; ++step) {
            const Tensor x = test::input(two_d ? Shape{4, 3, 2, 3} : Shape{5, 3}, 10 + step, -2, 3);
            bn(x);
            reference_stats(x, mean, var);
            for (int j = 0; j < 3; ++j) {  // running = (1 - momentum)·running + momentum·batch
                rm[j] = 0.7 * rm[j] + 0.3 * mean[j];
                rv[j] = 0.7 * rv[j] + 0.3 * var[j];
            }
        }
        CHECK_VALUES(bn.running_mean, {3}, {float(rm[0]), float(rm[1]), float(rm[2])}, 1e-5);
        CHECK_VALUES(bn.running_var, {3}, {float(rv[0]), float(rv[1]), float(rv[2])}, 1e-5);
        CHECK(count_of(bn.num_batches_tracked) == 3);
    }
}

TEST_CASE("BatchNorm: momentum = nullopt keeps the cumulative average") {
    nn::BatchNorm1d bn(2, 1e-5f, std::nullopt);
    std::vector<double> sum_mean(2, 0.0), sum_var(2, 0.0), mean, var;
    for (uint64_t step = 0; step < 3; ++step) {
        const Tensor x = test::input({6, 2, 3}, 20 + step, -1, 4);
        bn(x);
        reference_stats(x, mean, var);
        for (int j = 0; j < 2; ++j) {
            sum_mean[j] += mean[j];
            sum_var[j] += var[j];
        }
    }
    CHECK_VALUES(bn.running_mean, {2}, {float(sum_mean[0] / 3), float(sum_mean[1] / 3)}, 1e-5);
    CHECK_VALUES(bn.running_var, {2}, {float(sum_var[0] / 3), float(sum_var[1] / 3)}, 1e-5);
    std::ostringstream os;
    os << bn;
    CHECK(os.str().find("momentum=None") != std::string::npos);
}

TEST_CASE("BatchNorm: eval mode uses the running statistics and does not update them") {
    nn::BatchNorm2d bn(2);
    bn(test::input({3, 2, 2, 2}, 1, -1, 3));
    {
        NoGradGuard no_grad;
        bn.weight.copy_(tensor({2, 0.5f}));
        bn.bias.copy_(tensor({1, -1}));
    }
    bn.eval();
    const Tensor rm = bn.running_mean.clone(), rv = bn.running_var.clone();
    const Tensor x = test::input({1, 2, 2, 2}, 2).detach();  // a batch of one is fine in eval
    const Tensor y = bn(x);
    for (int64_t i = 0; i < 8; ++i) {
        const int64_t j = i / 4;
        const float expected =
            (x.data()[i] - rm.data()[j]) / std::sqrt(rv.data()[j] + 1e-5f) * bn.weight.data()[j] +
            bn.bias.data()[j];
        CHECK(y.data()[i] == doctest::Approx(expected).epsilon(1e-5));
    }
    CHECK(equal(bn.running_mean, rm));
    CHECK(equal(bn.running_var, rv));
    CHECK(count_of(bn.num_batches_tracked) == 1);
    // Without running statistics, eval normalises by the batch's own.
    nn::BatchNorm2d untracked(2, 1e-5f, 0.1f, true, false);
    untracked.eval();
    const Tensor z = test::input({3, 2, 2, 2}, 3).detach();
    CHECK(allclose(untracked(z), nn::functional::batch_norm(z, {}, {}, {}, {}, true), 1e-6, 1e-6));
}

TEST_CASE("BatchNorm: the state dict round trip keeps the running statistics") {
    nn::BatchNorm1d bn(3, 1e-5f, 0.2f);
    for (uint64_t step = 0; step < 2; ++step) bn(test::input({4, 3}, 30 + step, -1, 2));
    test::ScratchDir dir;
    const std::string path = dir.path() + "/bn.npz";
    nn::save(bn, path);
    nn::BatchNorm1d restored(3, 1e-5f, 0.2f);
    nn::load(restored, path);
    CHECK(equal(restored.running_mean, bn.running_mean));
    CHECK(equal(restored.running_var, bn.running_var));
    CHECK(count_of(restored.num_batches_tracked) == 2);
    nn::BatchNorm1d copied(3);
    copied.load_state_dict(bn.state_dict());
    CHECK(equal(copied.running_var, bn.running_var));
    bn.eval();
    copied.eval();
    const Tensor x = test::input({2, 3}, 40).detach();
    CHECK(equal(copied(x), bn(x)));
}

TEST_CASE("BatchNorm: gradients of first and second order through the module") {
    nn::BatchNorm2d bn(2);
    {
        NoGradGuard no_grad;
        bn.weight.copy_(tensor({1.5f, 0.7f}));
        bn.bias.copy_(tensor({0.2f, -0.3f}));
    }
    const Tensor x = test::input({2, 2, 2, 3}, 5);
    auto f = [&bn](const V& v) { return bn(v[0]); };
    // The modules are float32, so the check runs in float32 (functional::batch_norm is checked in
    // float64 in tests/nn/functional/test_batch_norm.cpp).
    const auto f32 = autograd::GradcheckOptions::float32();
    CHECK(autograd::gradcheck(f, {x}, f32));
    CHECK(autograd::gradgradcheck(f, {x}, f32));
    nn::BatchNorm1d bn1(3);
    auto g = [&bn1](const V& v) { return bn1(v[0]) * bn1(v[0]); };
    CHECK(autograd::gradgradcheck(g, {test::input({4, 3}, 6)}, f32));
    bn1.eval();
    CHECK(autograd::gradgradcheck(g, {test::input({4, 3}, 7)}, f32));
    bn.eval();
    CHECK(autograd::gradcheck(f, {x}, f32));
    CHECK(autograd::gradgradcheck(f, {x}, f32));
    bn.train();
    // The parameters receive gradients.
    bn(x).sum().backward();
    CHECK(bn.weight.grad().defined());
    CHECK_VALUES(bn.bias.grad(), {2}, {12, 12});
}

TEST_CASE("BatchNorm: wrong rank, wrong channels and a batch of one are refused") {
    nn::BatchNorm2d bn2(16);
    CHECK_ERROR(ShapeError,
                [&] {
                    bn2(zeros({8, 3, 28, 28}));
                },
                {"BatchNorm2d: expected input (N, 16, H, W), got (8, 3, 28, 28)"});
    CHECK_ERROR(ShapeError, [&] { bn2(zeros({8, 16})); }, {"BatchNorm2d", "(8, 16)"});
    nn::BatchNorm1d bn1(4);
    CHECK_ERROR(ShapeError, [&] { bn1(zeros({4})); },
                {"BatchNorm1d: expected input (N, 4) or (N, 4, L), got (4)"});
    CHECK_ERROR(ValueError,
                [&] {
                    bn1(zeros({1, 4}));
                },
                {"BatchNorm1d", "more than 1 value per channel when training", "(1, 4)"});
    CHECK(count_of(bn1.num_batches_tracked) == 0);  // refused before anything changed
    bn1.eval();
    CHECK(bn1(zeros({1, 4})).shape() == Shape{1, 4});
    CHECK_ERROR(ValueError, [] { nn::BatchNorm1d(0); }, {"BatchNorm1d()", "num_features"});
    CHECK_ERROR(ValueError, [] { nn::BatchNorm2d(3, 0.0f); }, {"BatchNorm2d()", "eps"});
    CHECK_ERROR(ValueError, [] { nn::BatchNorm2d(3, 1e-5f, 1.5f); }, {"momentum", "1.5"});
}

TEST_CASE("BatchNorm: eval's backward keeps the statistics of its forward") {
    nn::BatchNorm1d bn(2);
    bn.eval();
    const Tensor x = test::input({3, 2}, 8).detach();
    const Tensor y = bn(x);
    {
        NoGradGuard no_grad;
        bn.running_mean.fill_(5.0f);  // a later training step would do this
    }
    y.sum().backward();
    // x̂ = (x - 0)/√(1 + eps): dweight = Σ x̂ over the batch, as before the running mean moved
    const float s = 1 / std::sqrt(1 + 1e-5f);
    CHECK_VALUES(bn.weight.grad(), {2},
                 {(x.data()[0] + x.data()[2] + x.data()[4]) * s,
                  (x.data()[1] + x.data()[3] + x.data()[5]) * s},
                 1e-5);
}

TEST_CASE("BatchNorm in a Sequential: dotted buffer names, train and eval reach it") {
    nn::Sequential net(nn::Linear(4, 3), nn::BatchNorm1d(3), nn::ReLU());
    std::vector<std::string> buffers;
    for (const auto& entry : net.named_buffers()) buffers.push_back(entry.first);
    CHECK(buffers ==
          std::vector<std::string>{"1.running_mean", "1.running_var", "1.num_batches_tracked"});
    CHECK(net.parameters().size() == 4);
    net(test::input({5, 4}, 9));
    const Tensor tracked = net.state_dict()[4].second;
    CHECK(net.state_dict()[4].first == "1.running_mean");
    CHECK_FALSE(equal(tracked, zeros({3})));
    net.eval();
    CHECK(net(zeros({1, 4})).shape() == Shape{1, 3});  // a batch of one, fine in eval
}

TEST_CASE(
    "BatchNorm: reset_running_stats zeroes the int64 count, reset_parameters the affine too") {
    nn::BatchNorm1d bn(2, 1e-5f, std::nullopt);
    for (uint64_t step = 0; step < 2; ++step) bn(test::input({4, 2}, 60 + step, -1, 2));
    {
        NoGradGuard no_grad;
        bn.weight.fill_(3.0f);
    }
    REQUIRE(count_of(bn.num_batches_tracked) == 2);
    const Tensor count = bn.num_batches_tracked;
    const uint64_t version = count.version();
    bn.reset_running_stats();
    CHECK(count_of(bn.num_batches_tracked) == 0);
    CHECK(bn.num_batches_tracked.is_same(count));
    CHECK(count.version() > version);
    CHECK_VALUES(bn.running_mean, {2}, {0, 0});
    CHECK_VALUES(bn.running_var, {2}, {1, 1});
    CHECK_VALUES(bn.weight, {2}, {3, 3});
    // The cumulative average starts again: after one batch the running mean is that batch's.
    const Tensor x = test::input({4, 2}, 70, -1, 2);
    bn(x);
    CHECK(count_of(bn.num_batches_tracked) == 1);
    CHECK(allclose(bn.running_mean, x.detach().mean(0), 1e-6, 1e-6));
    bn.reset_parameters();
    CHECK(count_of(bn.num_batches_tracked) == 0);
    CHECK_VALUES(bn.weight, {2}, {1, 1});
}
