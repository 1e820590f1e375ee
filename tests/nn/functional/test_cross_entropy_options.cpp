// cross_entropy and nll_loss with options (CrossEntropyFuncOptions, NLLLossFuncOptions): class
// weights, ignore_index, label smoothing, probability targets, N-d and unbatched inputs, against
// PyTorch's values (tests/nn/layers_torch_reference.py); gradients in float64; errors.
#include "support.hpp"

#include "descent/nn/functional/cross_entropy.hpp"
#include "descent/nn/functional/loss.hpp"

using namespace descent;
using namespace descent::nn::functional;
using nn::Reduction;
using V = std::vector<Tensor>;

namespace {

// torch: Z, T, W of the reference script
Tensor Z() {
    return tensor(
        std::vector<double>{1.0, -0.5, 2.0, 0.25, 0.0, 1.5, -1.0, 0.5, -2.0, 0.75, 0.5, 1.0},
        {3, 4}, kFloat64);
}
Tensor T() { return tensor({2, 0, 3}, kInt64); }
Tensor W() { return tensor(std::vector<double>{0.5, 2.0, 1.0, 3.0}, {4}, kFloat64); }
// torch.softmax of fixed logits along dim 1
Tensor Q() {
    return tensor(
        std::vector<double>{0.2874899806762354, 0.47399084625407806, 0.06414768542935739,
                            0.17437148764032928, 0.7573132023431748, 0.10249119673793974,
                            0.10249119673793974, 0.03770440418094562, 0.13447071068499758,
                            0.13447071068499758, 0.36552928931500245, 0.36552928931500245},
        {3, 4}, kFloat64);
}

CrossEntropyFuncOptions ce(Reduction r) { return CrossEntropyFuncOptions().reduction(r); }

}  // namespace

TEST_CASE("cross_entropy options: class weights, ignore_index and smoothing match PyTorch") {
    // torch: F.cross_entropy(Z, T, weight=W, reduction=...)
    CHECK_DOUBLES(cross_entropy(Z(), T(), ce(Reduction::Mean).weight(W())), {},
                  {0.9249010873635173});
    CHECK_DOUBLES(cross_entropy(Z(), T(), ce(Reduction::Sum).weight(W())), {}, {4.162054893135828});
    CHECK_DOUBLES(cross_entropy(Z(), T(), ce(Reduction::None).weight(W())), {3},
                  {0.4847311347019678, 1.0073374827504877, 2.6699862756833728});
    // torch: F.cross_entropy(Z, T, ignore_index=0, reduction=...)
    CHECK_DOUBLES(cross_entropy(Z(), T(), ce(Reduction::Mean).ignore_index(0)), {},
                  {0.6873632799648794});
    CHECK_DOUBLES(cross_entropy(Z(), T(), ce(Reduction::Sum).ignore_index(0)), {},
                  {1.374726559929759});
    CHECK_DOUBLES(cross_entropy(Z(), T(), ce(Reduction::None).ignore_index(0)), {3},
                  {0.4847311347019678, 0.0, 0.889995425227791});
    // torch: F.cross_entropy(Z, T, weight=W, ignore_index=3, label_smoothing=0.2, reduction=...)
    const auto all = [](Reduction r) {
        return ce(r).weight(W()).ignore_index(3).label_smoothing(0.2);
    };
    CHECK_DOUBLES(cross_entropy(Z(), T(), all(Reduction::Mean)), {}, {1.5789745843519474});
    CHECK_DOUBLES(cross_entropy(Z(), T(), all(Reduction::Sum)), {}, {2.3684618765279213});
    CHECK_DOUBLES(cross_entropy(Z(), T(), all(Reduction::None)), {3},
                  {1.0828225265397138, 1.285639349988207, 0.0});
    // ... and its gradient
    const Tensor z = Z().requires_grad_();
    cross_entropy(z, T(), all(Reduction::Mean)).backward();
    CHECK_DOUBLES(z.grad(), {3, 4},
                  {0.15325576894580548, -0.028751846395644497, -0.10476959769378141,
                   -0.019734324856379493, -0.21887419033247402, 0.222219170003643,
                   -0.009620139827787116, 0.006275160156618065, 0.0, 0.0, 0.0, 0.0});
    // Every target ignored: the mean over nothing is NaN, as PyTorch's.
    CHECK(std::isnan(cross_entropy(Z(), tensor({-100, -100, -100}, kInt64), ce(Reduction::Mean))
                         .item<double>()));
    CHECK(std::isnan(
        cross_entropy(Z(), T(), ce(Reduction::Mean).weight(zeros({4}, kFloat64))).item<double>()));
}

TEST_CASE("cross_entropy options: the defaults take the fused path, bit for bit") {
    Generator gen(3);
    const Tensor z = uniform({5, 7}, -2, 2, gen);
    const Tensor t = tensor({0, 6, 3, 3, 1}, kInt64);
    CHECK(equal(cross_entropy(z, t, CrossEntropyFuncOptions()), cross_entropy(z, t)));
    CHECK(equal(cross_entropy(z, t, ce(Reduction::None).label_smoothing(0.1)),
                cross_entropy(z, t, Reduction::None, 0.1f)));
    // The composed path agrees with the fused one (a weight of ones, an ignore_index not hit).
    CHECK(allclose(cross_entropy(z, t, CrossEntropyFuncOptions().weight(ones({7}))),
                   cross_entropy(z, t), 1e-6, 1e-6));
    CHECK(allclose(nll_loss(log_softmax(z, 1), t, NLLLossFuncOptions().weight(ones({7}))),
                   cross_entropy(z, t), 1e-6, 1e-6));
}

TEST_CASE("cross_entropy options: probability targets match PyTorch") {
    // torch: F.cross_entropy(Z, Q, reduction=...), and with weight=W, label_smoothing=0.1
    CHECK_DOUBLES(cross_entropy(Z(), Q(), ce(Reduction::Mean)), {}, {1.9055717930123468});
    CHECK_DOUBLES(cross_entropy(Z(), Q(), ce(Reduction::Sum)), {}, {5.716715379037041});
    CHECK_DOUBLES(cross_entropy(Z(), Q(), ce(Reduction::None)), {3},
                  {2.2623483343839745, 1.9445771650415322, 1.5097898796115345});
    const auto ws = [](Reduction r) { return ce(r).weight(W()).label_smoothing(0.1); };
    CHECK_DOUBLES(cross_entropy(Z(), Q(), ws(Reduction::Mean)), {}, {2.5580017259229186});
    CHECK_DOUBLES(cross_entropy(Z(), Q(), ws(Reduction::Sum)), {}, {7.6740051777687555});
    CHECK_DOUBLES(cross_entropy(Z(), Q(), ws(Reduction::None)), {3},
                  {4.166225733105364, 1.4536936916337548, 2.0540857530296366});
    // One-hot probabilities give the class-index loss.
    const Tensor onehot =
        tensor(std::vector<double>{0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1}, {3, 4}, kFloat64);
    CHECK(allclose(cross_entropy(Z(), onehot, ce(Reduction::None)),
                   cross_entropy(Z(), T(), ce(Reduction::None)), 1e-12, 1e-12));
}

TEST_CASE("cross_entropy and nll_loss options: N-d and unbatched inputs match PyTorch") {
    // torch: Z3 (2, 3, 2) with the classes along dim 1, T3 (2, 2), W3 (3)
    const Tensor z3 =
        tensor(std::vector<double>{1, 0, -1, 2, 0.5, 0.5, 0, -1, 1, 1, 2, -2}, {2, 3, 2}, kFloat64);
    const Tensor t3 = tensor({0, 1, 2, 1}, kInt64).reshape({2, 2});
    const Tensor w3 = tensor(std::vector<double>{1, 0.5, 2}, {3}, kFloat64);
    CHECK_DOUBLES(cross_entropy(z3, t3, ce(Reduction::Mean).weight(w3)), {}, {0.40206742860586697});
    CHECK_DOUBLES(
        cross_entropy(z3, t3, ce(Reduction::None).weight(w3)), {2, 2},
        {0.5549569196419907, 0.15317785611457332, 0.8152119288887608, 0.08492300977814284});
    // torch: F.nll_loss(Z3, T3, ignore_index=1, reduction=...)
    const auto nl = [](Reduction r) { return NLLLossFuncOptions().reduction(r).ignore_index(1); };
    CHECK_DOUBLES(nll_loss(z3, t3, nl(Reduction::Mean)), {}, {-1.5});
    CHECK_DOUBLES(nll_loss(z3, t3, nl(Reduction::None)), {2, 2}, {-1.0, 0.0, -2.0, 0.0});
    // torch: F.nll_loss(Z, T, weight=W); F.cross_entropy(Z[0], T[0])
    CHECK_DOUBLES(nll_loss(Z(), T(), NLLLossFuncOptions().weight(W())), {}, {-1.1111111111111112});
    CHECK_DOUBLES(
        cross_entropy(Z().select(0, 0), scalar_tensor(2, kInt64), CrossEntropyFuncOptions()), {},
        {0.4847311347019678});
}

TEST_CASE("cross_entropy and nll_loss options: gradcheck and gradgradcheck in float64") {
    const Tensor z = test::input({3, 4}, 21, -2, 2);
    const Tensor q = softmax(test::input({3, 4}, 22), 1).detach();
    const Tensor z3 = test::input({2, 4, 3}, 23, -2, 2);
    const Tensor t3 = tensor({0, 3, 1, 2, 2, -100}, kInt64).reshape({2, 3});
    const Tensor w = tensor({0.5f, 2, 1, 3});
    const Tensor t = T();
    CHECK_GRADIENTS(
        [&](const V& v) {
            return cross_entropy(
                v[0], t, CrossEntropyFuncOptions().weight(w).ignore_index(3).label_smoothing(0.2));
        },
        V{z});
    CHECK_GRADIENTS(
        [&](const V& v) {
            return cross_entropy(v[0], q, CrossEntropyFuncOptions().weight(w).label_smoothing(0.1));
        },
        V{z});
    CHECK_GRADIENTS(
        [&](const V& v) {
            return cross_entropy(v[0], t3,
                                 CrossEntropyFuncOptions().weight(w).reduction(Reduction::None));
        },
        V{z3});
    CHECK_GRADIENTS([&](const V& v) { return nll_loss(v[0], t3, NLLLossFuncOptions().weight(w)); },
                    V{z3});
}

TEST_CASE("cross_entropy and nll_loss options: errors") {
    const Tensor z = zeros({3, 4});
    const Tensor t = tensor({2, 0, 3}, kInt64);
    CHECK_ERROR(ShapeError,
                [&] { cross_entropy(z, t, CrossEntropyFuncOptions().weight(ones({3}))); },
                {"cross_entropy()", "weight", "(4)", "(3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    nll_loss(z, t, NLLLossFuncOptions().weight(ones({2, 2})));
                },
                {"nll_loss()", "weight", "(2, 2)"});
    CHECK_ERROR(TypeError,
                [&] { cross_entropy(z, t, CrossEntropyFuncOptions().weight(ones({4}, kInt64))); },
                {"cross_entropy()", "weight", "int64"});
    CHECK_ERROR(ValueError,
                [&] { cross_entropy(z, softmax(z, 1), CrossEntropyFuncOptions().ignore_index(0)); },
                {"cross_entropy()", "ignore_index 0", "probability"});
    CHECK_ERROR(TypeError,
                [&] {
                    cross_entropy(z, zeros({3, 4}, kInt64), CrossEntropyFuncOptions());
                },
                {"cross_entropy()", "probabilities", "int64"});
    CHECK_ERROR(TypeError,
                [&] {
                    cross_entropy(z, tensor({2, 0, 3}), CrossEntropyFuncOptions());
                },
                {"cross_entropy()", "int64", "float32"});
    CHECK_ERROR(ShapeError,
                [&] {
                    cross_entropy(z, tensor({2, 0}, kInt64), CrossEntropyFuncOptions());
                },
                {"cross_entropy()", "(3, 4)", "(3)", "(2)"});
    CHECK_ERROR(IndexError,
                [&] {
                    cross_entropy(z, tensor({2, 4, 3}, kInt64), CrossEntropyFuncOptions());
                },
                {"cross_entropy()", "target 4", "C = 4"});
    CHECK_ERROR(IndexError,
                [&] {
                    nll_loss(z, tensor({2, -1, 3}, kInt64), NLLLossFuncOptions());
                },
                {"nll_loss()", "target -1", "ignore_index -100"});
    CHECK_ERROR(ValueError,
                [&] { cross_entropy(z, t, CrossEntropyFuncOptions().label_smoothing(1.5)); },
                {"cross_entropy()", "label_smoothing", "1.5"});
    CHECK_ERROR(TypeError,
                [&] {
                    cross_entropy(zeros({3, 4}, kInt64), t, CrossEntropyFuncOptions());
                },
                {"cross_entropy()", "floating", "int64"});
    CHECK_ERROR(ShapeError,
                [&] { nll_loss(scalar_tensor(1), scalar_tensor(0, kInt64), NLLLossFuncOptions()); },
                {"nll_loss()", "(N, C)"});
    CHECK_ERROR(ValueError, [&] { cross_entropy(z, Tensor(), CrossEntropyFuncOptions()); },
                {"cross_entropy()", "target", "undefined"});
}
