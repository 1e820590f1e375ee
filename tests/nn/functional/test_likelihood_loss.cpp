// kl_div, poisson_nll_loss and gaussian_nll_loss against PyTorch's values
// (tests/nn/layers_torch_reference.py), gradients in float64, errors.
#include "support.hpp"

#include "descent/nn/functional/loss.hpp"

using namespace descent;
using namespace descent::nn::functional;
using nn::Reduction;
using V = std::vector<Tensor>;

namespace {

// torch: X1, Y1 of the reference script
Tensor X1() {
    return tensor(std::vector<double>{0.5, -1.0, 2.0, 1.0, 0.25, -0.5, -1.5, 0.5, 0.0}, {3, 3},
                  kFloat64);
}
Tensor Y1() {
    return tensor(std::vector<double>{1.0, 0.0, -1.0, 0.0, 0.5, 1.0, 1.0, 1.0, 1.0}, {3, 3},
                  kFloat64);
}
// torch: A, B (B holds a 0: its term is 0, not NaN)
Tensor A() { return tensor(std::vector<double>{0.2, 0.3, 0.5, 0.1, 0.6, 0.3}, {2, 3}, kFloat64); }
Tensor B() { return tensor(std::vector<double>{0.25, 0.25, 0.5, 0.0, 0.7, 0.3}, {2, 3}, kFloat64); }
Tensor CNT() { return tensor(std::vector<double>{0, 1, 3, 2, 0, 5, 1, 4, 0.5}, {3, 3}, kFloat64); }
Tensor VAR() {
    return tensor(std::vector<double>{0.5, 1, 2, 1e-8, 0.25, 1, 3, 0.1, 0.5}, {3, 3}, kFloat64);
}

KLDivFuncOptions kl(KLDivReduction r) { return KLDivFuncOptions().reduction(r); }

}  // namespace

TEST_CASE("kl_div matches PyTorch in every reduction, log_target both ways") {
    // torch: F.kl_div(A.log(), B, reduction=...)
    CHECK_DOUBLES(kl_div(log(A()), B(), kl(KLDivReduction::Mean)), {}, {0.019685162418190766});
    CHECK_DOUBLES(kl_div(log(A()), B()), {}, {0.019685162418190766});  // PyTorch's default
    CHECK_DOUBLES(kl_div(log(A()), B(), kl(KLDivReduction::BatchMean)), {}, {0.0590554872545723});
    CHECK_DOUBLES(kl_div(log(A()), B(), kl(KLDivReduction::Sum)), {}, {0.1181109745091446});
    CHECK_DOUBLES(kl_div(log(A()), B(), KLDivFuncOptions().reduction(Reduction::Sum)), {},
                  {0.1181109745091446});
    CHECK_DOUBLES(kl_div(log(A()), B(), kl(KLDivReduction::None)), {2, 3},
                  {0.05578588782855243, -0.04558038919848861, 0.0, 0.0, 0.10790547587908078, 0.0});
    // torch: F.kl_div(A.log(), (B + 0.1).log(), reduction="batchmean", log_target=True)
    CHECK_DOUBLES(kl_div(log(A()), log(B() + 0.1), kl(KLDivReduction::BatchMean).log_target(true)),
                  {}, {0.352214842367724});
    // The same divergence either way round.
    CHECK(allclose(kl_div(log(A()), log(B() + 0.1), kl(KLDivReduction::Sum).log_target(true)),
                   kl_div(log(A()), B() + 0.1, kl(KLDivReduction::Sum)), 1e-12, 1e-12));
    CHECK(std::string(to_string(KLDivReduction::BatchMean)) == "batchmean");
}

TEST_CASE("poisson_nll_loss and gaussian_nll_loss match PyTorch") {
    const auto none = [] { return PoissonNLLLossFuncOptions().reduction(Reduction::None); };
    // torch: F.poisson_nll_loss(X1, CNT, reduction="none"), full=True, log_input=False on |X1|
    CHECK_DOUBLES(
        poisson_nll_loss(X1(), CNT(), none()), {3, 3},
        {1.6487212707001282, 1.3678794411714423, 1.3890560989306504, 0.7182818284590451,
         1.2840254166877414, 3.106530659712633, 1.72313016014843, -0.3512787292998718, 1.0});
    CHECK_DOUBLES(
        poisson_nll_loss(X1(), CNT(), none().full(true)), {3, 3},
        {1.6487212707001282, 1.3678794411714423, 3.153137642473707, 1.370088313063581,
         1.2840254166877414, 7.877377711304858, 1.72313016014843, 2.8059844289443086, 1.0});
    CHECK_DOUBLES(poisson_nll_loss(abs(X1()), CNT(), PoissonNLLLossFuncOptions().log_input(false)),
                  {}, {2.2459731239512255});
    // torch: F.gaussian_nll_loss(X1, Y1, V, reduction="none"): the 1e-8 variance is clamped to eps
    CHECK_DOUBLES(
        gaussian_nll_loss(X1(), Y1(), VAR(),
                          GaussianNLLLossFuncOptions().reduction(Reduction::None)),
        {3, 3},
        {-0.09657359027997264, 0.5, 2.5965735902799727, 499993.092244721, -0.5681471805599453,
         1.125, 1.5909728110007215, 0.09870745350297727, 0.6534264097200273});
    // torch: one variance per sample, (3) against (3, 3), full=True
    CHECK_DOUBLES(
        gaussian_nll_loss(X1(), Y1(), tensor(std::vector<double>{0.5, 2, 1}, {3}, kFloat64),
                          GaussianNLLLossFuncOptions().full(true)),
        {}, {2.5665079776491173});
    // (3, 1) is the same variance as (3)
    CHECK(allclose(
        gaussian_nll_loss(X1(), Y1(), tensor(std::vector<double>{0.5, 2, 1}, {3, 1}, kFloat64)),
        gaussian_nll_loss(X1(), Y1(), tensor(std::vector<double>{0.5, 2, 1}, {3}, kFloat64))));
    // The gradient in var passes the clamp: torch's autograd.grad of the sum, in V
    const Tensor var = VAR().requires_grad_();
    gaussian_nll_loss(X1(), Y1(), var, GaussianNLLLossFuncOptions().reduction(Reduction::Sum))
        .backward();
    CHECK_DOUBLES(var.grad(), {3, 3},
                  {0.5, 0.0, -0.875, -499999500000.0, 1.5, -0.625, -0.1805555555555556, -7.5, -1.0},
                  1e-10);
}

TEST_CASE("divergence and likelihood losses: gradcheck and gradgradcheck in float64") {
    const Tensor logp = log_softmax(test::input({3, 4}, 41), 1).detach().requires_grad_();
    const Tensor q = softmax(test::input({3, 4}, 42), 1).detach().requires_grad_();
    CHECK_GRADIENTS(
        [](const V& v) {
            return kl_div(v[0], v[1], KLDivFuncOptions().reduction(KLDivReduction::BatchMean));
        },
        (V{logp, q}));
    CHECK_GRADIENTS(
        [](const V& v) { return kl_div(v[0], v[1], KLDivFuncOptions().log_target(true)); },
        (V{logp, logp}));
    const Tensor x = test::input({3, 4}, 43), counts = test::input({3, 4}, 44, 1.5f, 4.0f).detach();
    CHECK_GRADIENTS(
        [&](const V& v) {
            return poisson_nll_loss(v[0], counts, PoissonNLLLossFuncOptions().full(true));
        },
        V{x});
    const Tensor rate = test::input({3, 4}, 45, 0.5f, 2.0f);
    CHECK_GRADIENTS(
        [&](const V& v) {
            return poisson_nll_loss(v[0], counts, PoissonNLLLossFuncOptions().log_input(false));
        },
        V{rate});
    const Tensor mu = test::input({3, 4}, 46), y = test::input({3, 4}, 47),
                 var = test::input({3, 4}, 48, 0.5f, 2.0f);
    CHECK_GRADIENTS(
        [](const V& v) {
            return gaussian_nll_loss(v[0], v[1], v[2], GaussianNLLLossFuncOptions().full(true));
        },
        (V{mu, y, var}));
    const Tensor var3 = test::input({3}, 49, 0.5f, 2.0f);
    CHECK_GRADIENTS([](const V& v) { return gaussian_nll_loss(v[0], v[1], v[2]); },
                    (V{mu, y, var3}));
}

TEST_CASE("divergence and likelihood losses: errors") {
    const Tensor a = zeros({2, 3});
    CHECK_ERROR(ShapeError, [&] { kl_div(a, zeros({3, 2})); }, {"kl_div()", "(2, 3)", "(3, 2)"});
    CHECK_ERROR(ValueError,
                [&] {
                    kl_div(zeros({0, 3}), zeros({0, 3}), kl(KLDivReduction::BatchMean));
                },
                {"kl_div()", "batchmean", "(0, 3)"});
    CHECK_ERROR(ValueError, [&] { poisson_nll_loss(a, a, PoissonNLLLossFuncOptions().eps(-1)); },
                {"poisson_nll_loss()", "eps", "-1"});
    CHECK_ERROR(ValueError,
                [&] {
                    gaussian_nll_loss(a, a, full({2, 3}, -0.5));
                },
                {"gaussian_nll_loss()", "var", ">= 0", "-0.5"});
    CHECK_ERROR(ShapeError,
                [&] {
                    gaussian_nll_loss(a, a, ones({2, 2}));
                },
                {"gaussian_nll_loss()", "var (2, 2)", "(2, 3)"});
    CHECK_ERROR(ValueError,
                [&] {
                    gaussian_nll_loss(a, a, ones({2, 3}), GaussianNLLLossFuncOptions().eps(0));
                },
                {"gaussian_nll_loss()", "eps", "0"});
    CHECK_ERROR(ValueError, [&] { gaussian_nll_loss(a, a, Tensor()); },
                {"gaussian_nll_loss()", "var", "undefined"});
}
