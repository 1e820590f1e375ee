// functional::batch_norm: hand-computed values in training and eval mode, the running-statistics
// update, gradients of first and second order in both modes, and refused inputs.
#include "support.hpp"

#include <cmath>

#include "descent/nn/functional/batch_norm.hpp"

using namespace descent;
using nn::functional::batch_norm;
using V = std::vector<Tensor>;

TEST_CASE("batch_norm: training normalises by the batch, updates the running stats") {
    // channel 0 holds 1, 3 (mean 2, biased var 1); channel 1 holds 2, 6 (mean 4, biased var 4)
    const Tensor x = tensor({1, 2, 3, 6}, {2, 2});
    const Tensor w = tensor({2, 1}), b = tensor({0.5f, -1});
    Tensor rm = zeros({2}), rv = ones({2});
    const float eps = 1e-5f, a = 1 / std::sqrt(1 + eps), c = 2 / std::sqrt(4 + eps);
    CHECK_VALUES(batch_norm(x, rm, rv, w, b, true, 0.1f, eps), {2, 2},
                 {0.5f - 2 * a, -1 - c, 0.5f + 2 * a, -1 + c});
    // running = 0.9·running + 0.1·batch, the var unbiased: 1·2/1 = 2 and 4·2/1 = 8
    CHECK_VALUES(rm, {2}, {0.2f, 0.4f});
    CHECK_VALUES(rv, {2}, {0.9f + 0.2f, 0.9f + 0.8f});
    // Without weight, bias or running stats: plain normalisation.
    CHECK_VALUES(batch_norm(x, Tensor(), Tensor(), Tensor(), Tensor(), true), {2, 2},
                 {-a, -c, a, c});
}

TEST_CASE("batch_norm: statistics run over N and every spatial dim") {
    // (2, 1, 2): one channel holding 0, 2, 4, 6 (mean 3, biased var 5)
    const Tensor x = tensor({0, 2, 4, 6}, {2, 1, 2});
    Tensor rm = zeros({1}), rv = ones({1});
    const float s = 1 / std::sqrt(5 + 1e-5f);
    CHECK_VALUES(batch_norm(x, rm, rv, Tensor(), Tensor(), true, 0.5f), {2, 1, 2},
                 {-3 * s, -s, s, 3 * s});
    CHECK_VALUES(rm, {1}, {1.5f});
    CHECK_VALUES(rv, {1}, {0.5f + 0.5f * 20.0f / 3.0f});  // unbiased: 20 / 3
}

TEST_CASE("batch_norm: eval mode normalises by the running stats and leaves them") {
    const Tensor x = tensor({1, 2, 3, 6}, {2, 2});
    Tensor rm = tensor({1, -1}), rv = tensor({4, 0.25f});
    const Tensor w = tensor({2, 1}), b = tensor({0.5f, -1});
    const float eps = 1e-3f, s0 = 2 / std::sqrt(4 + eps), s1 = 1 / std::sqrt(0.25f + eps);
    CHECK_VALUES(batch_norm(x, rm, rv, w, b, false, 0.1f, eps), {2, 2},
                 {0.5f, -1 + 3 * s1, 0.5f + 2 * s0, -1 + 7 * s1});
    CHECK_VALUES(rm, {2}, {1, -1});
    CHECK_VALUES(rv, {2}, {4, 0.25f});
    // A batch of one is fine in eval mode.
    CHECK(batch_norm(tensor({1, 2}, {1, 2}), rm, rv).shape() == Shape{1, 2});
}

TEST_CASE("batch_norm: gradients of first and second order, training") {
    const Tensor w = test::input({3}, 2, 0.5f, 1.5f), b = test::input({3}, 3);
    for (const Shape& shape : {Shape{4, 3}, Shape{3, 3, 2}, Shape{2, 3, 2, 2}}) {
        CAPTURE(shape);
        const Tensor x = test::input(shape, 1);
        auto f = [](const V& v) { return batch_norm(v[0], Tensor(), Tensor(), v[1], v[2], true); };
        CHECK_GRADIENTS(f, (V{x, w, b}));
        auto plain = [](const V& v) { return batch_norm(v[0], Tensor(), Tensor(), {}, {}, true); };
        CHECK_GRADIENTS(plain, V{x});
    }
}

TEST_CASE("batch_norm: gradients of first and second order, eval") {
    const Tensor rm = test::input({3}, 4).detach(), rv = test::input({3}, 5, 0.5f, 2).detach();
    const Tensor x = test::input({2, 3, 2, 2}, 1);
    const Tensor w = test::input({3}, 2, 0.5f, 1.5f), b = test::input({3}, 3);
    // the running statistics in the checked dtype, as batch_norm takes one dtype for all
    auto f = [&](const V& v) {
        return batch_norm(v[0], rm.to(v[0].dtype()), rv.to(v[0].dtype()), v[1], v[2], false);
    };
    CHECK_GRADIENTS(f, (V{x, w, b}));
}

TEST_CASE("batch_norm: the gradient matches the composition of ops") {
    const Tensor x = test::input({5, 3, 2}, 7), w = test::input({3}, 8), b = test::input({3}, 9);
    const Tensor g = test::input({5, 3, 2}, 10).detach();
    auto composed = [&](const Tensor& t) {
        const Tensor mu = mean(mean(t, 2, true), 0, true);
        const Tensor d = t - mu;
        const Tensor var = mean(mean(d * d, 2, true), 0, true);
        return d / sqrt(var + 1e-5f) * reshape(w.detach(), {1, 3, 1}) +
               reshape(b.detach(), {1, 3, 1});
    };
    auto fused = [&](const Tensor& t) {
        return batch_norm(t, Tensor(), Tensor(), w.detach(), b.detach(), true);
    };
    CHECK(allclose(fused(x.detach()), composed(x.detach()), 1e-5, 1e-5));
    CHECK(allclose(test::grad_of(fused, x, g), test::grad_of(composed, x, g), 1e-4, 1e-5));
}

TEST_CASE("batch_norm: the fused backward equals the one built of ops (create_graph)") {
    // Without create_graph the backward runs fused kernels; with it, descent ops. Both must give
    // the same dx, dγ, dβ: training and eval, with and without the affine part, 2-D and 4-D input.
    for (const Shape& shape : {Shape{6, 4}, Shape{3, 2, 5, 3}})
        for (bool training : {true, false})
            for (bool affine : {true, false}) {
                CAPTURE(shape);
                CAPTURE(training);
                CAPTURE(affine);
                const int64_t c = shape[1];
                const Tensor x = test::input(shape, 11).requires_grad_();
                const Tensor w = (test::input({c}, 12) + 1.5f).detach().requires_grad_();
                const Tensor b = test::input({c}, 13).requires_grad_();
                const Tensor rm = test::input({c}, 14).detach();
                const Tensor rv = (test::input({c}, 15) * test::input({c}, 15) + 0.5f).detach();
                const Tensor g = test::input(shape, 16).detach();
                const Tensor y = batch_norm(x, rm.clone(), rv.clone(), affine ? w : Tensor(),
                                            affine ? b : Tensor(), training);
                const V inputs = affine ? V{x, w, b} : V{x};
                const V fused = autograd::grad({y}, inputs, {g}, /*retain_graph=*/true);
                const V ops = autograd::grad({y}, inputs, {g}, /*retain_graph=*/true,
                                             /*create_graph=*/true);
                for (size_t i = 0; i < inputs.size(); ++i) {
                    CAPTURE(i);
                    CHECK(allclose(fused[i], ops[i].detach(), 1e-4, 1e-5));
                }
            }
}

TEST_CASE("batch_norm: refuses bad shapes and a single value per channel in training") {
    const Tensor rm = zeros({3}), rv = ones({3});
    CHECK_ERROR(ShapeError, [] { batch_norm(ones({3}), Tensor(), Tensor(), {}, {}, true); },
                {"batch_norm()", "(N, C, *)", "(3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    batch_norm(ones({4, 2}), rm, rv);
                },
                {"batch_norm()", "running_mean (3)", "(4, 2)", "expected (2)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    batch_norm(ones({4, 3}), rm, rv, ones({2}));
                },
                {"weight (2)", "expected (3)"});
    CHECK_ERROR(ValueError,
                [] {
                    batch_norm(ones({4, 3}), Tensor(), Tensor());
                },
                {"batch_norm()", "eval mode"});
    CHECK_ERROR(ValueError,
                [&] {
                    batch_norm(ones({1, 3}), rm, rv, {}, {}, true);
                },
                {"batch_norm()", "more than 1 value per channel", "(1, 3)"});
    CHECK_ERROR(ValueError,
                [&] {
                    batch_norm(ones({1, 3, 1, 1}), rm, rv, {}, {}, true);
                },
                {"(1, 3, 1, 1)"});
    // One sample with several spatial values per channel is enough, as in PyTorch.
    CHECK(batch_norm(randn({1, 3, 2, 2}), rm, rv, {}, {}, true).shape() == Shape{1, 3, 2, 2});
}
