// Module: registration order, dotted names, weight tying, train/eval recursion, zero_grad, state
// dict round trip and every load_state_dict error, printing, and the errors of registration.
#include "support.hpp"
#include "support_float64.hpp"

#include <sstream>

#include "descent/nn/activation.hpp"
#include "descent/nn/linear.hpp"
#include "descent/nn/module.hpp"
#include "descent/nn/sequential.hpp"

using namespace descent;

namespace {

// Two parameters and a buffer of known values, no children.
struct Leaf : nn::Module {
    Tensor w, b, count;
    Leaf() : Module("Leaf") {
        w = register_parameter("w", tensor({1, 2, 3, 4}, {2, 2}));
        b = register_parameter("b", tensor({5, 6}));
        count = register_buffer("count", tensor({0}));
    }
    Tensor forward(const Tensor& x) override { return matmul(x, w) + b; }
};

// Nested: own parameter, then two children, one of them itself nested.
struct Net : nn::Module {
    Tensor scale;
    std::shared_ptr<Leaf> first;
    std::shared_ptr<nn::Sequential> rest;
    Net() : Module("Net") {
        scale = register_parameter("scale", tensor({2}));
        first = register_module("first", std::make_shared<Leaf>());
        rest = register_module("rest", std::make_shared<nn::Sequential>(Leaf(), nn::ReLU()));
    }
    Tensor forward(const Tensor& x) override { return (*rest)((*first)(x)) * scale; }
};

std::vector<std::string> names(const NamedTensors& list) {
    std::vector<std::string> out;
    for (const auto& [name, t] : list) out.push_back(name);
    return out;
}

}  // namespace

TEST_CASE("Module: parameters in registration order with dotted names") {
    Net net;
    using S = std::vector<std::string>;
    CHECK(names(net.named_parameters()) ==
          S{"scale", "first.w", "first.b", "rest.0.w", "rest.0.b"});
    CHECK(names(net.named_parameters(false)) == S{"scale"});
    CHECK(names(net.named_buffers()) == S{"first.count", "rest.0.count"});
    CHECK(names(net.named_buffers(false)).empty());
    const std::vector<Tensor> params = net.parameters();
    REQUIRE(params.size() == 5);
    // The same tensors as the layers' members, not copies.
    CHECK(params[0].is_same(net.scale));
    CHECK(params[1].is_same(net.first->w));
    CHECK(params[2].is_same(net.first->b));
    CHECK(params[3].is_same(std::dynamic_pointer_cast<Leaf>((*net.rest)[0])->w));
    for (const Tensor& p : params) CHECK(p.requires_grad());
    for (const auto& [name, t] : net.named_buffers()) CHECK_FALSE(t.requires_grad());
    REQUIRE(net.named_children().size() == 2);
    CHECK(net.named_children()[0].first == "first");
    CHECK(net.named_children()[1].first == "rest");
    CHECK(net.type_name() == "Net");
}

TEST_CASE("Module: register_parameter with requires_grad false, and weight tying listed once") {
    struct Tied : nn::Module {
        Tensor a, frozen;
        Tied() : Module("Tied") {
            a = register_parameter("a", zeros({3}));
            frozen = register_parameter("frozen", zeros({2}), false);
            register_parameter("a_again", a);  // the same tensor under a second name
        }
    } m;
    CHECK_FALSE(m.frozen.requires_grad());
    CHECK(names(m.named_parameters()) == std::vector<std::string>{"a", "frozen"});
    // state_dict keeps every name, as PyTorch's.
    CHECK(names(m.state_dict()) == std::vector<std::string>{"a", "frozen", "a_again"});
}

TEST_CASE("Module: registration errors name the module and the name") {
    struct M : nn::Module {
        M() : Module("M") { register_parameter("w", zeros({2})); }
    } m;
    CHECK_ERROR(ValueError, [&] { m.register_parameter("w", zeros({1})); },
                {"register_parameter()", "M", "\"w\"", "already"});
    CHECK_ERROR(ValueError, [&] { m.register_buffer("w", zeros({1})); },
                {"register_buffer()", "\"w\""});
    CHECK_ERROR(ValueError, [&] { m.register_module("w", std::make_shared<nn::ReLU>()); },
                {"register_module()", "\"w\""});
    CHECK_ERROR(ValueError, [&] { m.register_parameter("a.b", zeros({1})); }, {"\"a.b\"", "'.'"});
    CHECK_ERROR(ValueError, [&] { m.register_parameter("", zeros({1})); }, {"non-empty"});
    CHECK_ERROR(ValueError, [&] { m.register_parameter("u", Tensor()); }, {"\"u\"", "undefined"});
    CHECK_ERROR(ValueError, [&] { m.register_buffer("u", Tensor()); }, {"\"u\"", "undefined"});
    const Tensor leaf = zeros({2}).requires_grad_();
    CHECK_ERROR(ValueError, [&] { m.register_parameter("v", leaf * 2.0f); },
                {"\"v\"", "(2)", "not a leaf", "detach()"});
    CHECK_ERROR(ValueError, [&] { m.register_module("c", std::shared_ptr<nn::ReLU>()); },
                {"register_module()", "\"c\"", "null"});
    // Nothing was added by the failed calls.
    CHECK(m.named_parameters().size() == 1);
    CHECK(m.named_children().empty());
}

TEST_CASE("Module: forward not overridden is a StateError naming the type") {
    nn::Module m("Plain");
    CHECK_ERROR(StateError, [&] { m(zeros({1})); }, {"Plain", "forward()"});
}

TEST_CASE("Module: train and eval reach every descendant") {
    Net net;
    CHECK(net.is_training());
    net.eval();
    CHECK_FALSE(net.is_training());
    CHECK_FALSE(net.first->is_training());
    CHECK_FALSE(net.rest->is_training());
    CHECK_FALSE((*net.rest)[1]->is_training());
    net.rest->train();
    CHECK_FALSE(net.is_training());
    CHECK(net.rest->is_training());
    CHECK((*net.rest)[0]->is_training());
    net.train(true);
    CHECK(net.first->is_training());
}

TEST_CASE("Module: zero_grad drops or zeroes every gradient") {
    Net net;
    const Tensor x = tensor({1, -1}, {1, 2});
    net(x).sum().backward();
    for (const Tensor& p : net.parameters()) REQUIRE(p.grad().defined());
    const Tensor g0 = net.scale.grad();
    net.zero_grad(false);
    for (const Tensor& p : net.parameters()) {
        REQUIRE(p.grad().defined());
        CHECK(equal(p.grad(), zeros(p.shape())));
    }
    CHECK(g0.data()[0] == 0.0f);  // zeroed in place, as PyTorch's zero_grad(set_to_none=False)
    net(x).sum().backward();
    net.zero_grad();
    for (const Tensor& p : net.parameters()) CHECK_FALSE(p.grad().defined());
    // Backward after zero_grad gives the same gradient as the first time, not double.
    net(x).sum().backward();
    const Tensor once = net.first->w.grad().clone();
    net.zero_grad();
    net(x).sum().backward();
    CHECK(equal(net.first->w.grad(), once));
}

TEST_CASE("Module: state_dict round trip into a fresh model") {
    Net a, b;
    {
        NoGradGuard no_grad;
        a.first->w.mul_(3.0f);
        a.rest->named_parameters()[1].second.fill_(-7.0f);
        a.first->count.fill_(42.0f);
    }
    const NamedTensors state = a.state_dict();
    using S = std::vector<std::string>;
    CHECK(names(state) ==
          S{"scale", "first.w", "first.b", "first.count", "rest.0.w", "rest.0.b", "rest.0.count"});
    for (const auto& [name, t] : state) CHECK_FALSE(t.requires_grad());
    // Detached handles of the same storage, as PyTorch's.
    CHECK(state[1].second.data() == a.first->w.data());

    const Tensor w_before = b.first->w;  // the handle an optimizer would hold
    b.load_state_dict(state);
    CHECK(b.first->w.is_same(w_before));  // copied into, not replaced
    CHECK(b.first->w.requires_grad());
    CHECK_VALUES(b.first->w, {2, 2}, {3, 6, 9, 12});
    CHECK_VALUES(b.first->count, {1}, {42});
    CHECK_VALUES(b.rest->named_parameters()[1].second, {2}, {-7, -7});
    const Tensor x = tensor({0.5f, -2}, {1, 2});
    CHECK(equal(a(x), b(x)));
    // The copy is independent: changing a afterwards leaves b alone.
    {
        NoGradGuard no_grad;
        a.scale.fill_(100.0f);
    }
    CHECK(b.scale.item() == 2.0f);
}

TEST_CASE("Module: load_state_dict errors name the key and leave the model unchanged") {
    Net net;
    const NamedTensors good = net.state_dict();
    NamedTensors missing(good.begin() + 1, good.end());
    CHECK_ERROR(ValueError, [&] { net.load_state_dict(missing); },
                {"load_state_dict()", "missing key", "\"scale\""});
    NamedTensors extra = good;
    extra.emplace_back("rest.9.w", zeros({1}));
    CHECK_ERROR(ValueError, [&] { net.load_state_dict(extra); },
                {"load_state_dict()", "unexpected key", "\"rest.9.w\""});
    NamedTensors twice = good;
    twice.push_back(good[0]);
    CHECK_ERROR(ValueError, [&] { net.load_state_dict(twice); }, {"\"scale\"", "twice"});
    NamedTensors wrong = good;
    wrong[0].second = full({3}, 9.0f);
    CHECK_ERROR(ShapeError, [&] { net.load_state_dict(wrong); },
                {"load_state_dict()", "\"scale\"", "(3)", "(1)"});
    NamedTensors wrong_late = good;
    wrong_late[1].second = full({2, 2}, 9.0f);  // fine
    wrong_late[4].second = full({3, 2}, 9.0f);  // rest.0.w: (3, 2) vs (2, 2)
    CHECK_ERROR(ShapeError, [&] { net.load_state_dict(wrong_late); },
                {"\"rest.0.w\"", "(3, 2)", "(2, 2)"});
    // Checked before anything was copied: first.w still holds its values.
    CHECK_VALUES(net.first->w, {2, 2}, {1, 2, 3, 4});
    NamedTensors undefined = good;
    undefined[2].second = Tensor();
    CHECK_ERROR(ValueError, [&] { net.load_state_dict(undefined); }, {"\"first.b\"", "undefined"});

    // Non-strict: missing and unexpected keys are skipped, the rest is loaded; shapes still
    // checked.
    missing[0].second = full({2, 2}, 5.0f);  // first.w
    missing.emplace_back("nonsense", zeros({7}));
    net.load_state_dict(missing, false);
    CHECK_VALUES(net.first->w, {2, 2}, {5, 5, 5, 5});
    CHECK(net.scale.item() == 2.0f);
    CHECK_ERROR(ShapeError, [&] { net.load_state_dict(wrong, false); }, {"\"scale\""});
}

TEST_CASE("Module: printing nests children like PyTorch's print(model)") {
    Net net;
    std::ostringstream os;
    os << net;
    CHECK(os.str() ==
          "Net(\n"
          "  (first): Leaf()\n"
          "  (rest): Sequential(\n"
          "    (0): Leaf()\n"
          "    (1): ReLU()\n"
          "  )\n"
          ")");
    std::ostringstream leaf;
    leaf << nn::Linear(3, 2, false);
    CHECK(leaf.str() == "Linear(in_features=3, out_features=2, bias=false)");
}

TEST_CASE(
    "to(kFloat64) converts parameters, buffers and gradients in place, then forward, "
    "backward and the gradients run in float64") {
    nn::Linear lin(3, 2);
    const std::vector<float> w32 = lin.weight.detach().to_vector();
    lin.weight.sum().backward();  // a float32 gradient, converted too
    lin.register_buffer("steps", tensor({1, 2}, kInt64));
    lin.to(kFloat64);
    CHECK(lin.weight.dtype() == kFloat64);  // the module's own handle follows
    CHECK(lin.bias.dtype() == kFloat64);
    CHECK(lin.weight.grad().dtype() == kFloat64);
    CHECK(lin.named_buffers()[0].second.dtype() == kInt64);  // integer buffers are kept
    for (const Tensor& p : lin.parameters()) {
        CHECK(p.dtype() == kFloat64);
        CHECK(p.requires_grad());
        CHECK(p.is_leaf());
    }
    const std::vector<double> w64 = lin.weight.detach().to_vector<double>();
    for (size_t i = 0; i < w32.size(); ++i) CHECK(w64[i] == double(w32[i]));
    lin.zero_grad();
    Tensor x = test::doubles({4, 3}, 81);
    const Tensor y = lin(x);
    CHECK(y.dtype() == kFloat64);
    y.sum().backward();
    CHECK(lin.weight.grad().dtype() == kFloat64);
    // dL/dW = Σ_rows x, in double
    const std::vector<double> xv = x.to_vector<double>();
    std::vector<double> colsum(3, 0.0);
    for (int64_t i = 0; i < 4; ++i)
        for (int64_t k = 0; k < 3; ++k) colsum[k] += xv[i * 3 + k];
    CHECK_F64(lin.weight.grad(), Shape{2, 3},
              {colsum[0], colsum[1], colsum[2], colsum[0], colsum[1], colsum[2]});
    CHECK(autograd::gradcheck([&lin](const std::vector<Tensor>& v) { return lin(v[0]); },
                              {x.requires_grad_()}));
    CHECK_ERROR(TypeError, [&] { lin.to(kInt64); }, {"Linear", "to()", "int64"});
}
