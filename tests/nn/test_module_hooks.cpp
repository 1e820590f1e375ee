// Module forward and full backward hooks, found by name through named_modules().
#include <map>

#include "support.hpp"

using namespace descent;

namespace {

std::shared_ptr<nn::Sequential> small_mlp() {
    manual_seed(3);
    return std::make_shared<nn::Sequential>(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 2));
}

std::shared_ptr<nn::Module> by_name(const nn::Module& m, const std::string& name) {
    for (const auto& [n, child] : m.named_modules())
        if (n == name) return child;
    return nullptr;
}

}  // namespace

TEST_CASE("named_modules lists every descendant depth first with dotted names") {
    nn::Sequential outer;
    outer.push_back("block", nn::Sequential(nn::Linear(2, 2), nn::ReLU()));
    outer.push_back("head", nn::Linear(2, 1));
    std::vector<std::string> names;
    for (const auto& [n, m] : outer.named_modules()) names.push_back(n);
    CHECK(names == std::vector<std::string>{"block", "block.0", "block.1", "head"});
}

TEST_CASE("forward hooks see each call's input and output, and are removable") {
    auto net = small_mlp();
    Tensor x = test::input({5, 4}, 1);
    std::map<std::string, std::pair<Tensor, Tensor>> seen;
    std::vector<RemovableHandle> handles;
    for (const auto& [name, m] : net->named_modules())
        handles.push_back(m->register_forward_hook(
            [&seen, name = name](nn::Module&, const Tensor& in, const Tensor& out) {
                seen[name] = {in, out};
            }));
    Tensor y = (*net)(x);
    REQUIRE(seen.size() == 3);
    CHECK(seen["0"].first.is_same(x));
    auto* fc1 = dynamic_cast<nn::Linear*>(by_name(*net, "0").get());
    REQUIRE(fc1);
    CHECK(allclose(seen["0"].second, matmul(x, fc1->weight.t()) + fc1->bias, 1e-5, 1e-6));
    CHECK(allclose(seen["1"].second, relu(seen["0"].second)));
    CHECK(seen["2"].second.is_same(y));

    for (auto& h : handles) h.remove();
    seen.clear();
    (*net)(x);
    CHECK(seen.empty());
}

TEST_CASE("a full backward hook gets dL/d(input) and dL/d(output) once per backward") {
    auto net = small_mlp();
    Tensor x = test::input({5, 4}, 2);
    Tensor hidden;  // ReLU's output, the last Linear's input
    by_name(*net, "1")->register_forward_hook([&](nn::Module&, const Tensor&, const Tensor& out) {
        hidden = out;
        hidden.retain_grad();
    });
    int calls = 0;
    Tensor grad_in, grad_out;
    nn::Module* hooked = nullptr;
    auto fc2 = by_name(*net, "2");
    RemovableHandle h =
        fc2->register_full_backward_hook([&](nn::Module& m, const Tensor& gi, const Tensor& go) {
            ++calls;
            hooked = &m;
            grad_in = gi.clone();
            grad_out = go.clone();
        });
    Tensor y = (*net)(x);
    (y * y).sum().backward();
    CHECK(calls == 1);
    CHECK(hooked == fc2.get());
    CHECK(allclose(grad_out, 2.0f * y.detach()));
    REQUIRE(hidden.grad().defined());
    CHECK(allclose(grad_in, hidden.grad()));

    h.remove();
    (*net)(x).sum().backward();
    CHECK(calls == 1);
}

TEST_CASE("a backward hook on a module whose input needs no grad gets an undefined grad_input") {
    auto net = small_mlp();
    Tensor x = randn({2, 4});  // data: no gradient
    int calls = 0;
    bool input_defined = true;
    Tensor grad_out;
    by_name(*net, "0")->register_full_backward_hook(
        [&](nn::Module&, const Tensor& gi, const Tensor& go) {
            ++calls;
            input_defined = gi.defined();
            grad_out = go;
        });
    Tensor h1;
    by_name(*net, "0")->register_forward_hook([&](nn::Module&, const Tensor&, const Tensor& out) {
        h1 = out;
        if (out.requires_grad()) h1.retain_grad();
    });
    (*net)(x).sum().backward();
    CHECK(calls == 1);
    CHECK_FALSE(input_defined);
    CHECK(allclose(grad_out, h1.grad()));
    // Hooks cost nothing in inference: no identity ops are recorded without grad mode.
    NoGradGuard no_grad;
    CHECK_FALSE((*net)(x).requires_grad());
}

TEST_CASE("a backward hook of a module destroyed before backward is removed with it") {
    // Before, the pending backward kept a raw pointer to the module: AddressSanitizer reported a
    // heap-use-after-free when the hook ran on it.
    Tensor x = test::input({5, 4}, 4).requires_grad_();
    Tensor loss;
    int calls = 0;
    {
        auto fc = std::make_shared<nn::Linear>(4, 3);
        fc->register_full_backward_hook([&calls](nn::Module& m, const Tensor&, const Tensor&) {
            calls += m.type_name() == "Linear";  // reads the module
        });
        loss = (*fc)(x).sum();
    }
    loss.backward();
    CHECK(calls == 0);
    CHECK(x.grad().defined());  // the gradient still flows through the graph the module left
}

TEST_CASE("a moved module's backward hooks report the module where it now lives") {
    nn::Linear a(4, 3);
    std::vector<const nn::Module*> seen;
    a.register_full_backward_hook(
        [&seen](nn::Module& m, const Tensor&, const Tensor&) { seen.push_back(&m); });
    Tensor x = test::input({2, 4}, 5).requires_grad_();
    Tensor loss = a(x).sum();
    nn::Linear b(std::move(a));
    loss.backward();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0] == &b);
}
