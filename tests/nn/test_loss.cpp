// Loss modules: each agrees with its functional form under its reduction, checks its options at
// construction, prints them, and is called with (input, target).
#include "support.hpp"

#include <sstream>

#include "descent/nn/functional/cross_entropy.hpp"
#include "descent/nn/functional/loss.hpp"
#include "descent/nn/loss.hpp"

using namespace descent;
using nn::Reduction;
namespace F = descent::nn::functional;

using test::printed;

TEST_CASE("loss modules compute their functional form with their reduction") {
    const Tensor x = test::input({3, 4}, 1).detach(), y = test::input({3, 4}, 2).detach();
    const Tensor p = test::input({3, 4}, 3, 0.1f, 0.9f).detach();
    const Tensor q = test::input({3, 4}, 4, 0.0f, 1.0f).detach();
    const std::vector<int64_t> t = {1, 0, 3};
    for (const Reduction r : {Reduction::Mean, Reduction::Sum, Reduction::None}) {
        INFO(nn::to_string(r));
        CHECK(equal(nn::MSELoss(r)(x, y), F::mse_loss(x, y, r)));
        CHECK(equal(nn::L1Loss(r)(x, y), F::l1_loss(x, y, r)));
        CHECK(equal(nn::HuberLoss(r, 0.5f)(x, y), F::huber_loss(x, y, r, 0.5f)));
        CHECK(equal(nn::BCELoss(r)(p, q), F::binary_cross_entropy(p, q, r)));
        CHECK(equal(nn::BCEWithLogitsLoss(r)(x, q), F::binary_cross_entropy_with_logits(x, q, r)));
        CHECK(equal(nn::CrossEntropyLoss(r, 0.1f)(x, t), F::cross_entropy(x, t, r, 0.1f)));
        CHECK(equal(nn::NLLLoss(r)(x, t), F::nll_loss(x, t, r)));
    }
    // The default reduction is the mean: MSE of differences 1 and 3 is 5.
    CHECK(nn::MSELoss()(tensor({1, 3}), tensor({0, 0})).item() == 5.0f);
    CHECK(nn::CrossEntropyLoss().reduction == Reduction::Mean);
    CHECK(nn::CrossEntropyLoss().label_smoothing == 0.0f);
    CHECK(nn::HuberLoss().delta == 1.0f);
}

TEST_CASE("loss modules: gradients flow to the input") {
    Tensor x = tensor({1, 2, 3, 4}, {2, 2}).requires_grad_();
    nn::MSELoss(Reduction::Sum)(x, zeros({2, 2})).backward();
    CHECK_VALUES(x.grad(), {2, 2}, {2, 4, 6, 8});
}

TEST_CASE("loss modules: printing and constructor errors") {
    CHECK(printed(nn::MSELoss()) == "MSELoss(reduction=mean)");
    CHECK(printed(nn::L1Loss(Reduction::Sum)) == "L1Loss(reduction=sum)");
    CHECK(printed(nn::HuberLoss(Reduction::None, 2)) == "HuberLoss(reduction=none, delta=2)");
    CHECK(printed(nn::BCELoss()) == "BCELoss(reduction=mean)");
    CHECK(printed(nn::BCEWithLogitsLoss()) == "BCEWithLogitsLoss(reduction=mean)");
    CHECK(printed(nn::CrossEntropyLoss(Reduction::Mean, 0.1f)) ==
          "CrossEntropyLoss(reduction=mean, label_smoothing=0.1)");
    CHECK(printed(nn::NLLLoss()) == "NLLLoss(reduction=mean)");
    CHECK_ERROR(ValueError, [] { nn::HuberLoss(Reduction::Mean, -1); }, {"HuberLoss()", "-1"});
    CHECK_ERROR(ValueError, [] { nn::CrossEntropyLoss(Reduction::Mean, 2); },
                {"CrossEntropyLoss()", "label_smoothing", "2"});
}

TEST_CASE("loss modules with PyTorch's options agree with their functional forms") {
    const Tensor x = test::input({3, 4}, 1).detach(), y = test::input({3, 4}, 2).detach();
    const Tensor v = test::input({3, 4}, 3, 0.5f, 2.0f).detach();
    const Tensor labels = tensor({1, 0, 3}, kInt64);
    const Tensor w = tensor({0.5f, 2, 1, 3});
    const auto ce = nn::CrossEntropyLossOptions().weight(w).ignore_index(0).label_smoothing(0.1);
    nn::CrossEntropyLoss ce_loss(ce);
    CHECK(equal(ce_loss(x, labels), F::cross_entropy(x, labels, ce)));
    CHECK(equal(ce_loss(x, std::vector<int64_t>{1, 0, 3}), F::cross_entropy(x, labels, ce)));
    // probability targets (ignore_index 0 is refused with them, as PyTorch)
    nn::CrossEntropyLoss soft(nn::CrossEntropyLossOptions().weight(w).label_smoothing(0.1));
    CHECK(equal(soft(x, softmax(y, 1)),
                F::cross_entropy(x, softmax(y, 1),
                                 nn::CrossEntropyLossOptions().weight(w).label_smoothing(0.1))));
    CHECK_ERROR(ValueError, [&] { ce_loss(x, softmax(y, 1)); },
                {"cross_entropy()", "ignore_index 0"});
    // the class weight is a buffer under PyTorch's name; without one there is none
    CHECK(ce_loss.state_dict().size() == 1);
    CHECK(ce_loss.state_dict()[0].first == "weight");
    CHECK(nn::CrossEntropyLoss().state_dict().empty());
    const auto nll = nn::NLLLossOptions().weight(w).ignore_index(3).reduction(Reduction::Sum);
    CHECK(equal(nn::NLLLoss(nll)(x, labels), F::nll_loss(x, labels, nll)));
    CHECK(equal(nn::NLLLoss(nll)(x, std::vector<int64_t>{1, 0, 3}), F::nll_loss(x, labels, nll)));
    const Tensor q = test::input({3, 4}, 4, 0.0f, 1.0f).detach();
    const auto bce = nn::BCEWithLogitsLossOptions().pos_weight(tensor({1, 2, 3, 4}));
    CHECK(equal(nn::BCEWithLogitsLoss(bce)(x, q), F::binary_cross_entropy_with_logits(x, q, bce)));
    CHECK(nn::BCEWithLogitsLoss(bce).state_dict()[0].first == "pos_weight");

    CHECK(equal(nn::SmoothL1Loss(nn::SmoothL1LossOptions().beta(0.5))(x, y),
                F::smooth_l1_loss(x, y, F::SmoothL1LossFuncOptions().beta(0.5))));
    const Tensor logp = log_softmax(x, 1), p = softmax(y, 1);
    const auto kl = nn::KLDivLossOptions().reduction(F::KLDivReduction::BatchMean);
    CHECK(equal(nn::KLDivLoss(kl)(logp, p), F::kl_div(logp, p, kl)));
    CHECK(equal(nn::PoissonNLLLoss()(x, v), F::poisson_nll_loss(x, v)));
    CHECK(equal(nn::GaussianNLLLoss()(x, y, v), F::gaussian_nll_loss(x, y, v)));
    const Tensor pm = tensor({1, -1, 1}, kInt64);
    CHECK(
        equal(nn::CosineEmbeddingLoss(nn::CosineEmbeddingLossOptions().margin(0.1))(x, y, pm),
              F::cosine_embedding_loss(x, y, pm, F::CosineEmbeddingLossFuncOptions().margin(0.1))));
    CHECK(equal(nn::MarginRankingLoss()(x, y, sign(v - 1.0f)),
                F::margin_ranking_loss(x, y, sign(v - 1.0f))));
    CHECK(equal(nn::TripletMarginLoss()(x, y, v), F::triplet_margin_loss(x, y, v)));

    CHECK(printed(nn::KLDivLoss(kl)) == "KLDivLoss(reduction=batchmean, log_target=false)");
    CHECK(printed(nn::SmoothL1Loss()) == "SmoothL1Loss(reduction=mean, beta=1)");
    CHECK(printed(nn::TripletMarginLoss()) ==
          "TripletMarginLoss(reduction=mean, margin=1, p=2, eps=1e-06, swap=false)");
    CHECK(printed(nn::CosineEmbeddingLoss()) == "CosineEmbeddingLoss(reduction=mean, margin=0)");
    CHECK_ERROR(ValueError, [] { nn::SmoothL1Loss(nn::SmoothL1LossOptions().beta(-0.5)); },
                {"SmoothL1Loss()", "beta", "-0.5"});
    CHECK_ERROR(ValueError, [] { nn::TripletMarginLoss(nn::TripletMarginLossOptions().p(-1)); },
                {"TripletMarginLoss()", "p", "-1"});
    CHECK_ERROR(ValueError, [] { nn::GaussianNLLLoss(nn::GaussianNLLLossOptions().eps(0)); },
                {"GaussianNLLLoss()", "eps", "0"});
    CHECK_ERROR(ValueError, [] { nn::PoissonNLLLoss(nn::PoissonNLLLossOptions().eps(-1)); },
                {"PoissonNLLLoss()", "eps", "-1"});
    CHECK_ERROR(ValueError,
                [] { nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().label_smoothing(-0.1)); },
                {"CrossEntropyLoss()", "label_smoothing"});
    CHECK_ERROR(
        ShapeError,
        [&] { nn::CrossEntropyLoss(nn::CrossEntropyLossOptions().weight(ones({3})))(x, labels); },
        {"cross_entropy()", "weight", "(3)"});
}
