// Tensor::register_hook on leaves and non-leaves: read, replace, remove.
#include "support.hpp"

using namespace descent;

TEST_CASE("a leaf's hook sees the summed gradient once per backward and can scale it") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    int calls = 0;
    Tensor seen;
    RemovableHandle h = x.register_hook([&](const Tensor& g) {
        ++calls;
        seen = g.clone();
        return g * 10.0f;
    });
    (x * x + x).sum().backward();  // dL/dx = 2x + 1 = [3, 5], from two uses
    CHECK(calls == 1);
    CHECK(seen.to_vector() == std::vector<float>{3.0f, 5.0f});
    CHECK(x.grad().to_vector() == std::vector<float>{30.0f, 50.0f});  // accumulated after the hook

    h.remove();
    CHECK_FALSE(h.active());
    h.remove();  // twice is harmless
    x.mutable_grad() = Tensor();
    (x * x + x).sum().backward();
    CHECK(calls == 1);
    CHECK(x.grad().to_vector() == std::vector<float>{3.0f, 5.0f});
}

TEST_CASE("a non-leaf's hook replaces the gradient its grad_fn and retain_grad see") {
    Tensor x = tensor({1.0f, -1.0f}).requires_grad_();
    Tensor h = x * 3.0f;
    h.retain_grad();
    h.register_hook([](const Tensor& g) { return g * 0.5f; });
    Tensor loss = (h * h).sum();  // dL/dh = 2h = [6, -6], halved to [3, -3]
    loss.backward();
    CHECK(h.grad().to_vector() == std::vector<float>{3.0f, -3.0f});
    CHECK(x.grad().to_vector() == std::vector<float>{9.0f, -9.0f});  // 3 * [3, -3]
}

TEST_CASE("a non-leaf's hook outlives the tensor handle, and an undefined result changes nothing") {
    Tensor x = tensor({2.0f}).requires_grad_();
    int calls = 0;
    Tensor loss;
    {
        Tensor h = x * x;
        h.register_hook([&](const Tensor&) {
            ++calls;
            return Tensor();  // read only
        });
        loss = h.sum();
    }
    loss.backward();
    CHECK(calls == 1);
    CHECK(x.grad().item() == 4.0f);
}

TEST_CASE("hooks run in order, remove_hook removes one, and bad hooks are errors") {
    Tensor x = tensor({1.0f}).requires_grad_();
    RemovableHandle add = x.register_hook([](const Tensor& g) { return g + 1.0f; });
    x.register_hook([](const Tensor& g) { return g * 2.0f; });
    (x * 1.0f).sum().backward();
    CHECK(x.grad().item() == 4.0f);  // (1 + 1) * 2
    x.remove_hook(add);
    x.mutable_grad() = Tensor();
    (x * 1.0f).sum().backward();
    CHECK(x.grad().item() == 2.0f);

    CHECK_THROWS_AS(ones({2}).register_hook([](const Tensor& g) { return g; }), StateError);
    Tensor y = tensor({1.0f, 2.0f}).requires_grad_();
    y.register_hook([](const Tensor&) { return ones({3}); });
    CHECK_THROWS_WITH_AS(y.sum().backward(), doctest::Contains("returned a gradient of shape (3)"),
                         ShapeError);
}

TEST_CASE("the backward observer sees a gradient after the hooks") {
    Tensor x = tensor({1.0f}).requires_grad_();
    x.register_hook([](const Tensor& g) { return g * 7.0f; });
    float at_leaf = 0;
    autograd::BackwardObserverGuard guard([&](const autograd::BackwardStep& s) {
        if (std::string(s.node.name()) == "AccumulateGrad") at_leaf = s.grad_output.item();
    });
    (x * 1.0f).sum().backward();
    CHECK(at_leaf == 7.0f);
}
