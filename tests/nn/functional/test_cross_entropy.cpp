// functional::cross_entropy: values by hand, all three reductions, label smoothing, stability,
// agreement with log_softmax + gather, one node, gradients (first and second order), errors.
#include "support.hpp"
#include "support_float64.hpp"

#include <cmath>

#include "descent/nn/functional/cross_entropy.hpp"

using namespace descent;
using nn::Reduction;
using nn::functional::cross_entropy;
using V = std::vector<Tensor>;

namespace {

const float ln2 = std::log(2.0f), ln3 = std::log(3.0f), ln6 = std::log(6.0f);

// The same loss composed from separate ops: an independent reference.
Tensor reference(const Tensor& logits, const std::vector<int64_t>& targets, Reduction r,
                 float eps) {
    const int64_t N = logits.size(0), C = logits.size(1);
    const Tensor lp = log_softmax(logits, 1);
    const Tensor nll = -reshape(gather(lp, 1, targets), {N});
    const Tensor smooth = -sum(lp, 1) / static_cast<float>(C);
    const Tensor per = nll * (1 - eps) + smooth * eps;
    return r == Reduction::None ? per : r == Reduction::Sum ? sum(per) : mean(per);
}

}  // namespace

TEST_CASE("cross_entropy on hand-computed values, all reductions") {
    // Row 0: exps (1, 2, 3), softmax (1/6, 2/6, 3/6). Row 1: exps (2, 1, 3).
    const Tensor z = tensor({0, ln2, ln3, ln2, 0, ln3}, {2, 3});
    const std::vector<int64_t> t = {2, 1};
    // -log(3/6) = ln 2;  -log(1/6) = ln 6
    CHECK_VALUES(cross_entropy(z, t, Reduction::None), {2}, {ln2, ln6});
    CHECK_VALUES(cross_entropy(z, t, Reduction::Sum), {}, {ln2 + ln6});
    CHECK_VALUES(cross_entropy(z, t), {}, {(ln2 + ln6) / 2});
    // Label smoothing ε = 0.3: (1-ε)·(-log p_t) + ε·mean_j(-log p_j)
    const float row0 = 0.7f * ln2 + 0.3f * (ln6 + ln3 + ln2) / 3;
    const float row1 = 0.7f * ln6 + 0.3f * (ln3 + ln6 + ln2) / 3;
    CHECK_VALUES(cross_entropy(z, t, Reduction::None, 0.3f), {2}, {row0, row1});
    CHECK_VALUES(cross_entropy(z, t, Reduction::Mean, 0.3f), {}, {(row0 + row1) / 2});
    // ε = 1: the target no longer matters.
    CHECK_VALUES(cross_entropy(z, {0, 0}, Reduction::None, 1.0f), {2},
                 {(ln6 + ln3 + ln2) / 3, (ln3 + ln6 + ln2) / 3});
}

TEST_CASE("cross_entropy is stable for huge logits and matches the composed formula") {
    const Tensor big = tensor({1000, 0, -1000, -1000, 1000, 0}, {2, 3});
    CHECK_VALUES(cross_entropy(big, {0, 1}, Reduction::None), {2}, {0, 0});
    CHECK_VALUES(cross_entropy(big, {2, 2}, Reduction::None), {2}, {2000, 1000});
    const Tensor z = test::input({6, 5}, 1, -3.0f, 3.0f).detach();
    const std::vector<int64_t> t = {0, 4, 2, 2, 1, 3};
    for (const Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None})
        for (const float eps : {0.0f, 0.1f, 0.5f}) {
            INFO(nn::to_string(r), " eps ", eps);
            CHECK(allclose(cross_entropy(z, t, r, eps), reference(z, t, r, eps), 1e-5, 1e-6));
        }
    // N = 0 with sum or none is fine.
    CHECK_VALUES(cross_entropy(zeros({0, 4}), {}, Reduction::Sum), {}, {0});
    CHECK(cross_entropy(zeros({0, 4}), {}, Reduction::None).shape() == Shape{0});
}

TEST_CASE("cross_entropy is one node with gradient (softmax - q)·g/N") {
    const Tensor z = tensor({0, ln2, ln3, ln2, 0, ln3}, {2, 3}).requires_grad_();
    const Tensor loss = cross_entropy(z, {2, 1}, Reduction::Mean, 0.3f);
    REQUIRE(loss.grad_fn());
    CHECK(std::string(loss.grad_fn()->name()) == "CrossEntropyBackward");
    CHECK(loss.grad_fn()->next_edges().size() == 1);
    CHECK(loss.grad_fn()->next_edges()[0].fn.get() != nullptr);
    loss.backward(scalar_tensor(4.0f));
    // q = 0.1 everywhere plus 0.7 at the target; p rows (1/6, 2/6, 3/6) and (2/6, 1/6, 3/6).
    const float k = 4.0f / 2;
    CHECK_VALUES(z.grad(), {2, 3},
                 {k * (1 / 6.f - 0.1f), k * (2 / 6.f - 0.1f), k * (3 / 6.f - 0.8f),
                  k * (2 / 6.f - 0.1f), k * (1 / 6.f - 0.8f), k * (3 / 6.f - 0.1f)});
    // None: each row weighted by its own incoming gradient.
    const Tensor z2 = z.detach().requires_grad_();
    cross_entropy(z2, {2, 1}, Reduction::None).backward(tensor({1, -2}));
    CHECK_VALUES(
        z2.grad(), {2, 3},
        {1 / 6.f, 2 / 6.f, 3 / 6.f - 1, -2 * (2 / 6.f), -2 * (1 / 6.f - 1), -2 * (3 / 6.f)});
}

TEST_CASE("cross_entropy gradients: first and second order, every reduction and smoothing") {
    const Tensor z = test::input({4, 5}, 1, -2.0f, 2.0f);
    const std::vector<int64_t> t = {3, 0, 4, 3};
    for (const Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None})
        for (const float eps : {0.0f, 0.2f}) {
            INFO(nn::to_string(r), " eps ", eps);
            CHECK_GRADIENTS([&](const V& v) { return cross_entropy(v[0], t, r, eps); }, V{z});
        }
    // Through a layer below it: the double backward reaches the logits' producer.
    const Tensor w = test::input({5, 5}, 2);
    CHECK_GRADIENTS([&](const V& v) { return cross_entropy(matmul(v[0], v[1]), t); }, (V{z, w}));
}

TEST_CASE("cross_entropy errors name the targets, C and both sizes") {
    const Tensor z = zeros({3, 10});
    CHECK_ERROR(IndexError,
                [&] {
                    cross_entropy(z, {1, 12, 0});
                },
                {"cross_entropy()", "target 12", "index 1", "10"});
    CHECK_ERROR(IndexError, [&] { cross_entropy(z, {-1, 0, 0}); }, {"target -1", "10"});
    CHECK_ERROR(ShapeError,
                [&] {
                    cross_entropy(z, {1, 2});
                },
                {"cross_entropy()", "(3, 10)", "3", "2 targets"});
    CHECK_ERROR(ShapeError, [&] { cross_entropy(zeros({10}), {1}); }, {"2-D", "(10)"});
    CHECK_ERROR(ValueError,
                [&] {
                    cross_entropy(z, {0, 0, 0}, Reduction::Mean, 1.5f);
                },
                {"label_smoothing", "1.5"});
    CHECK_ERROR(ValueError, [&] { cross_entropy(zeros({0, 3}), {}); }, {"empty", "(0, 3)"});
    CHECK_ERROR(ValueError, [&] { cross_entropy(Tensor(), {}); }, {"cross_entropy()", "undefined"});
}

TEST_CASE("cross_entropy stays exact for large logits, as log_softmax does") {
    // Ten equal logits: the loss is log(10) whatever their value. max + log(sum) - z_t lost 0.30
    // at -1e7 (float spacing there is 1); subtracting the max from z_t first keeps it exact.
    for (const float scale : {1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f}) {
        CAPTURE(scale);
        for (const float sign : {1.0f, -1.0f}) {
            const Tensor equal = full({2, 10}, sign * scale);
            CHECK(nn::functional::cross_entropy(equal, {3, 7}).item() ==
                  doctest::Approx(std::log(10.0)).epsilon(1e-6));
        }
        // One logit ahead by 2: the loss at the others is 2 + log(1 + 9 e^-2) (a double reference).
        Tensor z = full({1, 10}, -scale);
        z.data()[4] = -scale + 2.0f;
        const double expected = 2.0 + std::log(1.0 + 9.0 * std::exp(-2.0));
        CHECK(nn::functional::cross_entropy(z, {0}).item() ==
              doctest::Approx(expected).epsilon(1e-5));
        CHECK(nn::functional::cross_entropy(z, {0}, nn::Reduction::Mean, 0.1f).item() ==
              doctest::Approx(0.9 * expected + 0.1 * (std::log(std::exp(2.0) + 9.0) - 0.2))
                  .epsilon(1e-5));
    }
}

TEST_CASE(
    "cross_entropy of float64 logits against a double loop, gradient at PyTorch's "
    "tolerances") {
    Tensor z = test::doubles({3, 4}, 71, -2.0, 2.0);
    const std::vector<int64_t> t{2, 0, 3};
    const std::vector<double> zv = z.to_vector<double>();
    double total = 0;
    for (int64_t i = 0; i < 3; ++i) {
        double s = 0;
        for (int64_t j = 0; j < 4; ++j) s += std::exp(zv[i * 4 + j]);
        total += std::log(s) - zv[i * 4 + t[i]];
    }
    CHECK_F64(cross_entropy(z, t), Shape{}, {total / 3});
    CHECK_F64(cross_entropy(z, t, Reduction::Sum), Shape{}, {total});
    for (Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None})
        CHECK(autograd::gradcheck([&](const V& v) { return cross_entropy(v[0], t, r, 0.1f); },
                                  {z.requires_grad_()}));
    const Tensor l = cross_entropy(z, t);
    l.backward();
    CHECK(z.grad().dtype() == kFloat64);
}
