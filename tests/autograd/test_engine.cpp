// The backward engine: accumulation, shared nodes, freed graphs, in-place detection, long chains,
// retain_grad, higher-order gradients and autograd::grad.
#include <pthread.h>

#include "support.hpp"

using namespace descent;

TEST_CASE("a tensor used twice gets the sum of its gradients: y = x*x + x") {
    Tensor x = tensor({1.5f, -2.0f, 3.0f}).requires_grad_();
    (x * x + x).sum().backward();
    CHECK_VALUES(x.grad(), {3}, {4.0f, -3.0f, 7.0f});  // 2x + 1
}

TEST_CASE("diamond: two paths from x meet again") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor a = x * 2.0f, b = x * 3.0f;
    (a * b).sum().backward();  // 6x², d/dx = 12x
    CHECK_VALUES(x.grad(), {2}, {12.0f, 24.0f});
}

TEST_CASE("a shared node's backward runs once, with the summed gradient") {
    Tensor x = tensor({1.0f, 2.0f, 3.0f}).requires_grad_();
    int calls = 0;
    Tensor seen;
    Tensor z = autograd::custom_op("Double", {x}, (x * 2.0f).detach(), [&](const Tensor& g) {
        ++calls;
        seen = g.detach().clone();
        return std::vector<Tensor>{g * 2.0f};
    });
    (z + z * 3.0f).sum().backward();  // z reached along two paths, with 1 and 3
    CHECK(calls == 1);
    CHECK_VALUES(seen, {3}, {4, 4, 4});
    CHECK_VALUES(x.grad(), {3}, {8, 8, 8});
}

TEST_CASE("gradients accumulate across backward calls until zeroed") {
    Tensor w = tensor({1.0f, -1.0f}).requires_grad_();
    (w * 3.0f).sum().backward();
    (w * 3.0f).sum().backward();
    CHECK_VALUES(w.grad(), {2}, {6, 6});
    {
        NoGradGuard guard;
        w.mutable_grad().zero_();
    }
    (w * w).sum().backward();
    CHECK_VALUES(w.grad(), {2}, {2, -2});
    w.mutable_grad() = Tensor();  // dropped, as zero_grad(set_to_none) does
    (w * 5.0f).sum().backward();
    CHECK_VALUES(w.grad(), {2}, {5, 5});
}

TEST_CASE("the gradient does not alias the tensors it came from") {
    // add's backward hands the same gradient to both inputs; each leaf must get its own buffer.
    Tensor a = ones({3}).requires_grad_(), b = ones({3}).requires_grad_();
    (a + b).backward(ones({3}));
    CHECK(a.grad().data() != b.grad().data());
    (a + b).backward(ones({3}));
    CHECK_VALUES(a.grad(), {3}, {2, 2, 2});
    CHECK_VALUES(b.grad(), {3}, {2, 2, 2});
    // A user's seed gradient is copied, not adopted.
    Tensor leaf = zeros({2}).requires_grad_();
    Tensor seed = ones({2});
    leaf.backward(seed);
    CHECK(leaf.grad().data() != seed.data());
}

TEST_CASE("no-grad guard: nothing is recorded, and the mode is restored") {
    Tensor x = ones({2, 2}).requires_grad_();
    CHECK(autograd::GradMode::is_enabled());
    {
        NoGradGuard guard;
        CHECK_FALSE(autograd::GradMode::is_enabled());
        Tensor y = relu(x * 2.0f).sum();
        CHECK_FALSE(y.requires_grad());
        CHECK(y.grad_fn() == nullptr);
        {
            autograd::AutoGradMode on(true);  // nested: on again, then back off
            CHECK((x * 2.0f).requires_grad());
        }
        CHECK_FALSE(autograd::GradMode::is_enabled());
    }
    CHECK(autograd::GradMode::is_enabled());
    CHECK((x * 2.0f).requires_grad());
}

TEST_CASE("the graph is freed after backward: a second backward throws unless retained") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor y = (x * x).sum();
    y.backward();
    CHECK_ERROR(StateError, [&] { y.backward(); }, {"backward()", "second time", "retain_graph"});

    Tensor z = (x * x).sum();
    x.mutable_grad() = Tensor();
    z.backward(Tensor(), /*retain_graph=*/true);
    z.backward();
    CHECK_VALUES(x.grad(), {2}, {4, 8});  // 2 · 2x
}

TEST_CASE("modifying a saved tensor in place is caught at backward") {
    SUBCASE("a saved input that needs no grad") {
        Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
        Tensor c = tensor({3.0f, 4.0f});
        Tensor y = (x * c).sum();  // MulBackward saves c for x's gradient
        c.add_(ones({2}));
        CHECK_ERROR(StateError, [&] { y.backward(); },
                    {"MulBackward", "modified in place", "version 0", "(2)"});
    }
    SUBCASE("a saved output (exp saves its result)") {
        Tensor x = tensor({0.5f}).requires_grad_();
        Tensor e = exp(x);
        Tensor y = e.sum();
        {
            NoGradGuard guard;
            e.mul_(2.0f);
        }
        CHECK_ERROR(StateError, [&] { y.backward(); }, {"ExpBackward", "modified in place"});
    }
    SUBCASE("a leaf that requires grad cannot be modified in place while recording") {
        Tensor w = ones({2}).requires_grad_();
        CHECK_ERROR(StateError, [&] { w.add_(ones({2})); },
                    {"add_()", "requires grad", "NoGradGuard"});
        NoGradGuard guard;
        w.add_(ones({2}));  // allowed: this is how optimizers update
        CHECK(w.data()[0] == 2.0f);
    }
    SUBCASE("in-place ops bump the version of the shared storage") {
        Tensor a = zeros({4});
        Tensor v = a.reshape({2, 2});
        const uint64_t before = a.version();
        v.fill_(1.0f);
        CHECK(a.version() == before + 1);
        CHECK(a.data()[3] == 1.0f);
    }
}

namespace {
// Runs f on a thread with a 256 KiB stack, where a recursion 100,000 frames deep cannot fit: a test
// that passes here does not depend on the default 8 MiB stack being large enough.
void on_small_stack(void (*f)()) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_t thread;
    REQUIRE(pthread_create(
                &thread, &attr,
                [](void* fn) -> void* {
                    reinterpret_cast<void (*)()>(fn)();
                    return nullptr;
                },
                reinterpret_cast<void*>(f)) == 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
}

float chain_grad = 0, chain_value = 0;
size_t chain_tape = 0;
}  // namespace

TEST_CASE("a chain of 100,000 ops: forward, backward and freeing without stack overflow") {
    on_small_stack([] {
        Tensor x = scalar_tensor(0.5f).requires_grad_();
        {
            Tensor y = x;
            for (int i = 0; i < 100000; ++i) y = y * 1.0f + 1.0f;
            chain_value = y.item();
            y.backward();
        }  // the graph (already released) is destroyed here
        {
            Tensor y = x;
            for (int i = 0; i < 100000; ++i) y = y + 1.0f;
            chain_tape = study::tape(y).size();
        }  // a never-backwarded chain, destroyed here
        chain_grad = x.grad().item();
    });
    CHECK(chain_value == doctest::Approx(100000.5));
    CHECK(chain_grad == 1.0f);
    CHECK(chain_tape == 100001);  // 100,000 AddBackward + the leaf
}

TEST_CASE("backward argument errors name the shapes") {
    Tensor x = ones({2, 3}).requires_grad_();
    Tensor y = x * 2.0f;
    CHECK_ERROR(ValueError, [&] { y.backward(); }, {"backward()", "one-element", "(2, 3)"});
    CHECK_ERROR(ShapeError, [&] { y.backward(ones({3, 2})); }, {"backward()", "(3, 2)", "(2, 3)"});
    CHECK_ERROR(StateError, [&] { ones({2}).backward(ones({2})); },
                {"backward()", "does not require grad", "(2)"});
}

TEST_CASE("retain_grad keeps an interior tensor's gradient") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor h = x * 3.0f;
    Tensor u = x * 4.0f;
    h.retain_grad();
    (h * h + u).sum().backward();
    CHECK(h.retains_grad());
    CHECK_VALUES(h.grad(), {2}, {6, 12});   // 2h
    CHECK_FALSE(u.grad().defined());        // not retained
    CHECK_VALUES(x.grad(), {2}, {22, 40});  // 18x + 4
}

TEST_CASE("detach shares data and cuts the graph, and requires_grad_ works on leaves only") {
    Tensor x = ones({2}).requires_grad_();
    Tensor y = x * 2.0f;
    Tensor d = y.detach();
    CHECK(d.data() == y.data());
    CHECK_FALSE(d.requires_grad());
    CHECK(d.is_leaf());
    CHECK_ERROR(StateError, [&] { y.requires_grad_(false); }, {"requires_grad_()", "leaf", "(2)"});
}

TEST_CASE("create_graph: a Hessian-vector product") {
    // f = Σ x³ + Σ x·y: ∇ₓf = 3x² + y, and H v = 6 x ⊙ v.
    Tensor x = tensor({1.0f, -2.0f, 0.5f}).requires_grad_();
    Tensor y = tensor({0.3f, 0.1f, -0.2f});
    Tensor f = (x.pow(3.0f) + x * y).sum();
    Tensor g = autograd::grad({f}, {x}, {}, std::nullopt, /*create_graph=*/true)[0];
    CHECK(g.requires_grad());
    CHECK_VALUES(g, {3}, {3.3f, 12.1f, 0.55f});
    CHECK_FALSE(x.grad().defined());  // grad() does not accumulate
    Tensor v = tensor({1.0f, 2.0f, 3.0f});
    (g * v).sum().backward();
    CHECK_VALUES(x.grad(), {3}, {6.0f, -24.0f, 9.0f});
}

TEST_CASE("create_graph through a saved output: d²/dx² exp(x) = exp(x)") {
    Tensor x = tensor({0.2f, -0.7f}).requires_grad_();
    Tensor dx = autograd::grad({exp(x).sum()}, {x}, {}, std::nullopt, true)[0];
    Tensor d2x = autograd::grad({dx.sum()}, {x})[0];
    CHECK_VALUES(d2x, {2}, {std::exp(0.2f), std::exp(-0.7f)});
}

TEST_CASE("backward(create_graph=true) leaves a differentiable .grad: a gradient penalty") {
    // L = s², s = Σ w·x:  ∂L/∂x = 2 s w,  P = ‖∂L/∂x‖² = 4 s² ‖w‖²,
    // dP/dw = 8 s ‖w‖² x + 8 s² w. At w = (0.5, -1), x = (2, 3): s = -2, ‖w‖² = 1.25,
    // P = 20 and dP/dw = -20 x + 32 w = (-24, -92).
    Tensor w = tensor({0.5f, -1.0f}).requires_grad_();
    Tensor x = tensor({2.0f, 3.0f}).requires_grad_();
    Tensor s = (w * x).sum();
    (s * s).backward(Tensor(), true, /*create_graph=*/true);
    REQUIRE(x.grad().requires_grad());
    Tensor penalty = (x.grad() * x.grad()).sum();
    CHECK(penalty.item() == doctest::Approx(20.0f));
    const Tensor gw = autograd::grad({penalty}, {w})[0];
    CHECK_VALUES(gw, {2}, {-24.0f, -92.0f});
    // x.grad() holds a graph that saved x itself: drop it, or the cycle keeps both alive (as in
    // PyTorch, which warns about backward(create_graph=True) for this reason).
    x.mutable_grad() = Tensor();
    w.mutable_grad() = Tensor();
}

TEST_CASE("once-differentiable ops refuse create_graph") {
    Tensor x = tensor({1.0f, 2.0f}).requires_grad_();
    Tensor y = autograd::custom_op(
        "FusedKernel", {x}, (x * 2.0f).detach(),
        [](const Tensor& g) { return std::vector<Tensor>{g * 2.0f}; },
        /*once_differentiable=*/true);
    CHECK_ERROR(StateError,
                [&] { autograd::grad({y.sum()}, {x}, {}, std::nullopt, /*create_graph=*/true); },
                {"FusedKernel", "once-differentiable"});
    const Tensor g = autograd::grad({(y * 1.0f).sum()}, {x})[0];  // first order is fine
    CHECK_VALUES(g, {2}, {2, 2});
}

TEST_CASE("autograd::grad: unused inputs, non-leaf inputs") {
    Tensor x = ones({2}).requires_grad_(), unused = ones({2}).requires_grad_();
    Tensor h = x * 3.0f;
    Tensor y = (h * h).sum();
    CHECK_ERROR(ValueError, [&] { autograd::grad({y}, {unused}, {}, true); },
                {"grad()", "not used", "allow_unused"});
    auto gs = autograd::grad({y}, {h, x, unused}, {}, std::nullopt, false, /*allow_unused=*/true);
    CHECK_VALUES(gs[0], {2}, {6, 6});    // dy/dh = 2h
    CHECK_VALUES(gs[1], {2}, {18, 18});  // dy/dx = 18x
    CHECK_FALSE(gs[2].defined());
    CHECK_FALSE(x.grad().defined());
}

TEST_CASE("custom_op checks what its backward returns") {
    Tensor x = ones({2, 2}).requires_grad_();
    Tensor wrong_count = autograd::custom_op("TwoGrads", {x}, x.detach(), [](const Tensor& g) {
        return std::vector<Tensor>{g, g};
    });
    CHECK_ERROR(ValueError, [&] { wrong_count.sum().backward(); },
                {"TwoGrads", "2 gradients", "1 inputs"});
    Tensor wrong_shape = autograd::custom_op(
        "BadShape", {x}, x.detach(), [](const Tensor&) { return std::vector<Tensor>{ones({4})}; });
    CHECK_ERROR(ShapeError, [&] { wrong_shape.sum().backward(); }, {"BadShape", "(4)", "(2, 2)"});
}
