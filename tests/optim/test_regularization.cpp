// l1_penalty: its value, its gradient λ·sign(p) by backward and by gradcheck (first and second
// order), use inside a training loss, and its checks.
#include "support.hpp"

#include "descent/optim/regularization.hpp"
#include "descent/optim/sgd.hpp"

using namespace descent;
using optim::l1_penalty;

TEST_CASE("l1_penalty is lambda times the sum of absolute values") {
    Tensor a = tensor({1, -2, 0.5f}).requires_grad_(), b = tensor({-3, 4}, {2, 1}).requires_grad_();
    const Tensor pen = l1_penalty({a, b}, 0.1f);
    CHECK_VALUES(pen, {}, {0.1f * (1 + 2 + 0.5f + 3 + 4)});
    pen.backward();
    CHECK_VALUES(a.grad(), {3}, {0.1f, -0.1f, 0.1f});
    CHECK_VALUES(b.grad(), {2, 1}, {-0.1f, 0.1f});
    CHECK_VALUES(l1_penalty({}, 0.1f), {}, {0});
}

TEST_CASE("l1_penalty's gradients pass gradcheck") {
    const Tensor a = test::away_from_zero({2, 3}, 11), b = test::away_from_zero({4}, 12);
    const autograd::TensorFunction f = [](const std::vector<Tensor>& v) {
        return l1_penalty(v, 0.3f);
    };
    CHECK_GRADIENTS(f, (std::vector<Tensor>{a, b}));
}

TEST_CASE("l1_penalty drives a weight the data barely wants to exactly zero, give or take a step") {
    // Loss (w - 0.05)² + l1: the L1 pull (0.2) beats the data's pull at w near 0.05, so SGD
    // settles within one step size of 0.
    Tensor w = tensor({1.0f}).requires_grad_();
    optim::SGD opt({w}, 0.01);
    for (int i = 0; i < 2000; ++i) {
        const Tensor d = w - 0.05f;
        Tensor loss = sum(d * d) + l1_penalty({w}, 0.2f);
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    CHECK(std::abs(w.item()) < 0.01f);
}

TEST_CASE("l1_penalty refuses a negative lambda and undefined parameters") {
    Tensor a = ones({2}).requires_grad_();
    CHECK_ERROR(ValueError, [&] { l1_penalty({a}, -0.1f); }, {"l1_penalty()", "-0.1"});
    CHECK_ERROR(ValueError,
                [&] {
                    l1_penalty({a, Tensor()}, 0.1f);
                },
                {"l1_penalty()", "parameter 1"});
}
