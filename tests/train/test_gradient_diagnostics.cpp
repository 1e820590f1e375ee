// GradientDiagnostics on a Linear-ReLU-Linear net with fixed weights: the norms and the SGD update
// ratio against a forward and backward done by hand in loops, the dead-ReLU fraction of a unit
// whose bias keeps it below 0, warnings for vanishing, exploding and normal gradients, bad input.
#include "descent/train/gradient_diagnostics.hpp"

#include <cmath>
#include <limits>

#include "support.hpp"

using namespace descent;

namespace {

// x (2, 3) -> Linear(3, 4) -> ReLU -> Linear(4, 2); unit 2's bias of -100 keeps it dead for
// inputs in [0, 1].
const std::vector<float> X{0.5f, 1.0f, 0.25f, 0.75f, 0.1f, 0.9f};
const std::vector<float> W1{0.2f, -0.1f, 0.4f, 0.3f,  0.5f, -0.2f,
                            0.1f, 0.1f,  0.1f, -0.3f, 0.2f, 0.6f};
const std::vector<float> B1{0.1f, -0.05f, -100.0f, 0.2f};
const std::vector<float> W2{0.3f, -0.4f, 0.5f, 0.2f, -0.1f, 0.6f, 0.3f, -0.2f};
const std::vector<float> B2{0.05f, -0.1f};
const std::vector<float> T{1.0f, 0.0f, 0.0f, 1.0f};  // targets (2, 2)

struct Net {
    std::shared_ptr<nn::Sequential> model;
    std::shared_ptr<nn::Linear> fc1, fc2;
};

Net make_net(float scale = 1.0f) {
    Net n;
    n.fc1 = std::make_shared<nn::Linear>(3, 4);
    n.fc2 = std::make_shared<nn::Linear>(4, 2);
    auto set = [scale](Tensor& t, const std::vector<float>& v) {
        for (size_t i = 0; i < v.size(); ++i) t.data()[i] = v[i] * scale;
    };
    set(n.fc1->weight, W1);
    set(n.fc1->bias, B1);
    set(n.fc2->weight, W2);
    set(n.fc2->bias, B2);
    n.model = std::make_shared<nn::Sequential>();
    n.model->push_back(n.fc1);
    n.model->push_back(std::make_shared<nn::ReLU>());
    n.model->push_back(n.fc2);
    return n;
}

double norm(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

// mean-squared-error loss over the 4 outputs: the gradients of W1, b1, W2, b2 by hand.
struct Grads {
    std::vector<double> w1 = std::vector<double>(12), b1 = std::vector<double>(4),
                        w2 = std::vector<double>(8), b2 = std::vector<double>(2);
    int dead_units = 0;
};
Grads by_hand(const std::vector<float>& target) {
    Grads g;
    bool fired[4] = {false, false, false, false};
    for (int n = 0; n < 2; ++n) {
        double h[4], y[2], dy[2], dh[4];
        for (int j = 0; j < 4; ++j) {
            double a = B1[j];
            for (int i = 0; i < 3; ++i) a += W1[j * 3 + i] * X[n * 3 + i];
            h[j] = a > 0 ? a : 0;
            fired[j] = fired[j] || a > 0;
        }
        for (int k = 0; k < 2; ++k) {
            y[k] = B2[k];
            for (int j = 0; j < 4; ++j) y[k] += W2[k * 4 + j] * h[j];
            dy[k] = 2 * (y[k] - target[n * 2 + k]) / 4.0;  // d mean / d y
            g.b2[k] += dy[k];
            for (int j = 0; j < 4; ++j) g.w2[k * 4 + j] += dy[k] * h[j];
        }
        for (int j = 0; j < 4; ++j) {
            dh[j] = 0;
            for (int k = 0; k < 2; ++k) dh[j] += dy[k] * W2[k * 4 + j];
            if (h[j] <= 0) dh[j] = 0;
            g.b1[j] += dh[j];
            for (int i = 0; i < 3; ++i) g.w1[j * 3 + i] += dh[j] * X[n * 3 + i];
        }
    }
    for (bool f : fired) g.dead_units += f ? 0 : 1;
    return g;
}

std::vector<double> doubles(const std::vector<float>& v, float scale = 1.0f) {
    std::vector<double> out;
    for (float x : v) out.push_back(static_cast<double>(x * scale));
    return out;
}

// One SGD step at `lr` on the net with the diagnostics around it.
train::GradientReport step(Net& n, train::GradientDiagnostics& diag, double lr,
                           const std::vector<float>& target = T) {
    optim::SGD sgd(n.model->parameters(), lr);
    const Tensor x = tensor(X, {2, 3});
    const Tensor loss = nn::functional::mse_loss((*n.model)(x), tensor(target, {2, 2}));
    sgd.zero_grad();
    loss.backward();
    diag.before_step();
    sgd.step();
    diag.after_step();
    return diag.report();
}

bool has_warning(const train::GradientReport& r, const std::string& part) {
    for (const auto& w : r.warnings)
        if (w.message.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE(
    "GradientDiagnostics: norms, update ratios and the dead fraction equal a hand computation") {
    Net n = make_net();
    train::GradientDiagnostics diag(*n.model);
    const double lr = 0.01;
    const train::GradientReport r = step(n, diag, lr);
    const Grads g = by_hand(T);
    REQUIRE(g.dead_units == 1);  // the fixture: only unit 2 is dead

    const std::vector<std::string> names{"0.weight", "0.bias", "2.weight", "2.bias"};
    const std::vector<std::vector<double>> grads{g.w1, g.b1, g.w2, g.b2};
    const std::vector<std::vector<double>> weights{doubles(W1), doubles(B1), doubles(W2),
                                                   doubles(B2)};
    REQUIRE(r.parameters.size() == 4);
    for (size_t k = 0; k < 4; ++k) {
        CAPTURE(names[k]);
        const auto& d = r.parameters[k];
        CHECK(d.name == names[k]);
        CHECK(d.grad_norm == doctest::Approx(norm(grads[k])).epsilon(1e-5));
        CHECK(d.weight_norm == doctest::Approx(norm(weights[k])).epsilon(1e-6));
        // plain SGD: the update is -lr * grad, so the ratio is lr ||g|| / ||w||
        CHECK(d.update_ratio ==
              doctest::Approx(lr * norm(grads[k]) / norm(weights[k])).epsilon(1e-3));
    }
    CHECK(norm(g.w1) > 0);  // a gradient that vanished would make the checks above weak
    REQUIRE(r.relus.size() == 1);
    CHECK(r.relus[0].name == "1");
    CHECK(r.relus[0].units == 4);
    CHECK(r.relus[0].dead == 1);
    CHECK(r.relus[0].dead_fraction == 0.25);
    CHECK(r.warnings.empty());  // a normal case: every figure within the default bounds
}

TEST_CASE(
    "GradientDiagnostics: a ReLU unit is a channel of a 4-D output, and eval forwards do not "
    "count") {
    auto relu = std::make_shared<nn::ReLU>();
    nn::Sequential model;
    model.push_back(relu);
    Tensor& s = model.register_parameter("scale", ones({1}));
    train::GradientDiagnostics diag(model,
                                    train::GradientDiagnosticsOptions().max_dead_fraction(0.5));
    // (2, 3, 2, 2): channel 0 fires once (sample 1, one position), channel 1 never, channel 2
    // is negative everywhere
    Tensor x = full({2, 3, 2, 2}, 0.0f);
    x.data()[12 + 3] = 0.5f;  // sample 1, channel 0, position 3
    for (int n = 0; n < 2; ++n)
        for (int i = 0; i < 4; ++i) x.data()[n * 12 + 8 + i] = -1.0f;
    optim::SGD sgd({s}, 0.1);
    auto run = [&] {
        (*relu)(x * s).sum().backward();
        diag.before_step();
        sgd.step();
        diag.after_step();
        return diag.report();
    };
    const train::GradientReport r = run();
    REQUIRE(r.relus.size() == 1);
    CHECK(r.relus[0].units == 3);
    CHECK(r.relus[0].dead == 2);
    CHECK(r.relus[0].dead_fraction == doctest::Approx(2.0 / 3.0));
    CHECK(has_warning(r, "0: ReLU dead fraction 0.667 is above 0.5"));
    CHECK(r.parameters[0].grad_norm == doctest::Approx(0.5));  // d sum(relu(x s)) / ds = 0.5

    // Evaluation forwards (eval() mode, or no grad) leave the next window empty.
    {
        NoGradGuard no_grad;
        (*relu)(x);
    }
    model.eval();
    (*relu)(x);
    model.train();
    s.mutable_grad() = ones({1});
    diag.before_step();
    sgd.step();
    diag.after_step();
    const train::GradientReport empty = diag.report();
    CHECK(empty.relus[0].units == 0);
    CHECK(empty.relus[0].dead_fraction == 0);
}

TEST_CASE(
    "GradientDiagnostics warns for vanishing and exploding gradients and far-off update ratios") {
    {
        // Weights scaled by 1e-5 and zero targets: the outputs, hence every gradient of the
        // weights, are ~1e-10.
        Net n = make_net(1e-5f);
        train::GradientDiagnostics diag(*n.model);
        const train::GradientReport r = step(n, diag, 0.01, {0, 0, 0, 0});
        CHECK(r.parameters[0].grad_norm < 1e-7);
        CHECK(has_warning(r, "0.weight: gradient norm"));
        CHECK(has_warning(r, "is below 1e-07 (vanishing)"));
        CHECK(has_warning(r, "2.weight: gradient norm"));
    }
    {
        // Targets of 1e6: dL/dy ~ 5e5, gradient norms far above 1e3, and lr 0.01 moves the
        // weights by more than they are.
        Net n = make_net();
        train::GradientDiagnostics diag(*n.model);
        const train::GradientReport r = step(n, diag, 0.01, {1e6f, 0, 0, 1e6f});
        CHECK(r.parameters[2].grad_norm > 1e3);
        CHECK(has_warning(r, "2.weight: gradient norm"));
        CHECK(has_warning(r, "is above 1000 (exploding)"));
        CHECK(has_warning(r, "2.weight: update/weight ratio"));
        CHECK(has_warning(r, "is above 0.1 (rule of thumb ~1e-3: lr too high?)"));
        bool kinds = false;  // the message's kind and name, as the examples' CSV column shows them
        for (const auto& w : r.warnings)
            kinds = kinds || (w.name == "2.weight" && w.kind == "exploding");
        CHECK(kinds);
    }
    {
        // A learning rate of 1e-9: a normal gradient, a step too small to matter.
        Net n = make_net();
        train::GradientDiagnostics diag(*n.model);
        const train::GradientReport r = step(n, diag, 1e-9);
        CHECK(has_warning(r, "0.weight: update/weight ratio"));
        CHECK(has_warning(r, "is below 1e-05 (rule of thumb ~1e-3: lr too low?)"));
        CHECK_FALSE(has_warning(r, "gradient norm"));
    }
    {
        // A NaN gradient is exploding whatever the bound.
        Net n = make_net();
        train::GradientDiagnostics diag(*n.model);
        for (Tensor& p : n.model->parameters()) p.mutable_grad() = ones_like(p);
        n.fc2->bias.mutable_grad().data()[0] = std::nanf("");
        diag.before_step();
        diag.after_step();
        const train::GradientReport r = diag.report();
        CHECK(has_warning(r, "2.bias: gradient norm nan is above 1000 (exploding)"));
        CHECK(std::isnan(r.parameters[3].grad_norm));
        CHECK(r.parameters[3].update_ratio == 0);  // no step taken
    }
}

TEST_CASE("GradientDiagnostics refuses bad input, naming the call and the values") {
    Net n = make_net();
    CHECK_ERROR(StateError,
                [&] {
                    train::GradientDiagnostics diag(*n.model);
                    diag.before_step();
                },
                {"GradientDiagnostics::before_step()", "none of the 4 parameters (0.weight",
                 "after loss.backward()"});
    CHECK_ERROR(StateError,
                [&] {
                    train::GradientDiagnostics diag(*n.model);
                    diag.after_step();
                },
                {"GradientDiagnostics::after_step(): no before_step()"});
    CHECK_ERROR(StateError,
                [&] {
                    train::GradientDiagnostics diag(*n.model);
                    diag.report();
                },
                {"GradientDiagnostics::report(): no before_step() and after_step()"});
    CHECK_ERROR(ValueError,
                [] {
                    nn::Sequential empty(nn::ReLU{});
                    train::GradientDiagnostics diag(empty);
                },
                {"GradientDiagnostics(): the Sequential has no parameters that require grad"});
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_ERROR(ValueError,
                [&] {
                    train::GradientDiagnostics diag(
                        *n.model, train::GradientDiagnosticsOptions().vanishing_grad_norm(nan));
                },
                {"GradientDiagnostics(): vanishing_grad_norm must be a finite number", "got nan"});
    CHECK_ERROR(ValueError,
                [&] {
                    train::GradientDiagnostics diag(
                        *n.model, train::GradientDiagnosticsOptions().max_dead_fraction(1.5));
                },
                {"max_dead_fraction must be a finite number in [0, 1], got 1.5"});
    CHECK_ERROR(ValueError,
                [&] {
                    train::GradientDiagnostics diag(
                        *n.model, train::GradientDiagnosticsOptions().min_update_ratio(0.5));
                },
                {"min_update_ratio 0.5 must be below max_update_ratio 0.1"});
}

TEST_CASE("GradientDiagnostics: the update ratio of a zero weight is NaN, and never warns") {
    Net n = make_net();
    for (int k = 0; k < 2; ++k) n.fc2->bias.data()[k] = 0;
    train::GradientDiagnostics diag(*n.model);
    const train::GradientReport r = step(n, diag, 0.01);
    CHECK(r.parameters[3].name == "2.bias");
    CHECK(r.parameters[3].weight_norm == 0);
    CHECK(r.parameters[3].grad_norm > 0);  // the step did move it
    CHECK(std::isnan(r.parameters[3].update_ratio));
    CHECK_FALSE(has_warning(r, "2.bias"));
}

TEST_CASE("GradientDiagnostics: each element of a 1-D ReLU output is a unit") {
    auto relu = std::make_shared<nn::ReLU>();
    nn::Sequential model;
    model.push_back(relu);
    Tensor& s = model.register_parameter("scale", ones({1}));
    train::GradientDiagnostics diag(model);
    optim::SGD sgd({s}, 0.1);
    (*relu)(tensor({1.0f, -1.0f, 0.0f, 2.0f, -3.0f}) * s).sum().backward();
    diag.before_step();
    sgd.step();
    diag.after_step();
    const train::GradientReport r = diag.report();
    CHECK(r.relus[0].units == 5);
    CHECK(r.relus[0].dead == 3);  // -1, 0 and -3
    CHECK(r.relus[0].dead_fraction == doctest::Approx(0.6));
    CHECK(has_warning(r, "0: ReLU dead fraction 0.6 is above 0.5"));
}
