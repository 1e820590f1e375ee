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
