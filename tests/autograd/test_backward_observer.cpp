// The backward observer: every applied node once, in backward's order, with the engine's gradients.
#include <map>

#include "support.hpp"

using namespace descent;

namespace {

struct Seen {
    size_t index;
    const autograd::Node* node;
    std::string op;
    Tensor grad_output;
    std::vector<Tensor> grad_inputs;
};

autograd::BackwardObserver recorder(std::vector<Seen>& seen) {
    return [&seen](const autograd::BackwardStep& s) {
        std::vector<Tensor> outs;
        for (const Tensor& g : s.grad_inputs) outs.push_back(g.defined() ? g.clone() : Tensor());
        seen.push_back({s.index, &s.node, s.node.name(), s.grad_output.clone(), outs});
    };
}

}  // namespace

TEST_CASE("the observer sees every node once, in reverse topological order, with its gradients") {
    Tensor x = tensor({0.5f, -1.0f}).requires_grad_(), w = tensor({2.0f, 3.0f}).requires_grad_();
    Tensor a = x * w;  // used twice: its gradient is the sum of what exp and add send
    Tensor b = a.exp();
    Tensor c = a + b;
    Tensor loss = (c * c).sum();
    for (const Tensor* t : {&a, &b, &c}) t->retain_grad();
    const auto order = autograd::detail::topological_order({loss.grad_fn()});

    std::vector<Seen> seen;
    {
        autograd::BackwardObserverGuard guard(recorder(seen));
        loss.backward();
    }
    REQUIRE(seen.size() == order.size());  // 4 ops, the square, and 2 leaves
    CHECK(seen.size() == 7);
    std::map<const autograd::Node*, size_t> position;
    for (size_t i = 0; i < seen.size(); ++i) {
        CHECK(seen[i].index == i);                        // no node skipped here: index = step
        CHECK(seen[i].node == order[i].get());            // backward's order, which the tape prints
        CHECK(position.emplace(seen[i].node, i).second);  // each node once
    }
    // Reverse topological: a node runs after every node that sends it a gradient.
    for (const Seen& s : seen)
        for (const autograd::Edge& e : s.node->next_edges())
            if (e.fn) CHECK(position.at(e.fn.get()) > position.at(s.node));

    auto step_of = [&](const autograd::Node* n) -> const Seen& { return seen[position.at(n)]; };
    // The gradient arriving at each op's node is what retain_grad stored for its output.
    CHECK(allclose(step_of(c.grad_fn().get()).grad_output, c.grad()));
    CHECK(allclose(step_of(b.grad_fn().get()).grad_output, b.grad()));
    CHECK(allclose(step_of(a.grad_fn().get()).grad_output, a.grad()));
    CHECK(allclose(c.grad(), 2.0f * c.detach()));
    // MulBackward for a = x * w sends a.grad * w to x and a.grad * x to w, which the leaves
    // receive.
    const Seen& mul = step_of(a.grad_fn().get());
    REQUIRE(mul.grad_inputs.size() == 2);
    CHECK(allclose(mul.grad_inputs[0], a.grad() * w.detach()));
    CHECK(allclose(mul.grad_inputs[1], a.grad() * x.detach()));
    CHECK(allclose(mul.grad_inputs[0], x.grad()));
    CHECK(allclose(mul.grad_inputs[1], w.grad()));
    // The leaves' AccumulateGrad steps receive their gradient and send none.
    const Seen& last = seen.back();
    CHECK(last.op == "AccumulateGrad");
    CHECK(last.grad_inputs.empty());
    CHECK(seen.front().op == "SumBackward");
    CHECK(seen.front().grad_output.shape() == Shape{});
    CHECK(seen.front().grad_output.item() == 1.0f);
}

TEST_CASE("index is the position in the order: nodes no gradient is wanted from are skipped") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_(), w = tensor({3.0f}).requires_grad_();
    Tensor y = (x * 2.0f + w * 3.0f).sum();
    const auto order = autograd::detail::topological_order({y.grad_fn()});
    std::vector<Seen> seen;
    {
        autograd::BackwardObserverGuard guard(recorder(seen));
        autograd::grad({y}, {x});  // w's branch is not needed, so it does not run
    }
    REQUIRE(seen.size() == order.size() - 3);  // w's two nodes skipped, x's leaf captured
    for (const Seen& s : seen) {
        REQUIRE(s.index < order.size());
        CHECK(s.node == order[s.index].get());
        CHECK(s.op != "AccumulateGrad");  // x's is captured, not applied; w's never reached
    }
}

TEST_CASE("observer guards nest and uninstall") {
    Tensor x = tensor({1.0f}).requires_grad_();
    int outer = 0, inner = 0;
    {
        autograd::BackwardObserverGuard g1([&](const autograd::BackwardStep&) { ++outer; });
        {
            autograd::BackwardObserverGuard g2([&](const autograd::BackwardStep&) { ++inner; });
            (x * 2.0f).sum().backward();
        }
        CHECK(inner == 3);  // SumBackward, MulBackward, AccumulateGrad
        CHECK(outer == 0);
        (x * 2.0f).sum().backward();
        CHECK(outer == 3);
    }
    CHECK(autograd::detail::backward_observer() == nullptr);
    (x * 2.0f).sum().backward();
    CHECK(outer == 3);
    CHECK(inner == 3);
}
