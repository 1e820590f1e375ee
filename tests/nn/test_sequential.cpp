// Sequential: construction from values and shared_ptrs, names, indexing, forward order, push_back.
#include "support.hpp"

#include <sstream>

#include "descent/nn/activation.hpp"
#include "descent/nn/flatten.hpp"
#include "descent/nn/linear.hpp"
#include "descent/nn/sequential.hpp"

using namespace descent;

namespace {

// Multiplies by a constant: a layer whose effect on the order of application is visible.
struct Scale : nn::Module {
    float k;
    explicit Scale(float k_) : Module("Scale"), k(k_) {}
    Tensor forward(const Tensor& x) override { return x * k; }
};
struct Shift : nn::Module {
    float k;
    explicit Shift(float k_) : Module("Shift"), k(k_) {}
    Tensor forward(const Tensor& x) override { return x + k; }
};

}  // namespace

TEST_CASE("Sequential: children named 0, 1, ... and run in order") {
    nn::Sequential net(Scale(2), Shift(1), Scale(3));
    REQUIRE(net.size() == 3);
    CHECK(net.named_children()[0].first == "0");
    CHECK(net.named_children()[2].first == "2");
    CHECK(net[1]->type_name() == "Shift");
    // ((x·2) + 1)·3, not any other order.
    CHECK_VALUES(net(tensor({1, -2})), {2}, {9, -9});
    CHECK_ERROR(IndexError, [&] { net[3]; }, {"Sequential[]", "3", "3 modules"});
}

TEST_CASE("Sequential: shared_ptr children are shared with the caller, values are moved in") {
    auto lin = std::make_shared<nn::Linear>(4, 3);
    nn::Linear second(3, 2);
    const Tensor second_weight = second.weight;
    nn::Sequential net(lin, nn::ReLU(), std::move(second));
    CHECK(net[0] == lin);
    auto moved = std::dynamic_pointer_cast<nn::Linear>(net[2]);
    REQUIRE(moved);
    CHECK(moved->weight.is_same(second_weight));  // the same parameter, moved not copied
    const std::vector<Tensor> params = net.parameters();
    REQUIRE(params.size() == 4);
    CHECK(params[0].is_same(lin->weight));
    CHECK(params[3].is_same(moved->bias));
    CHECK(net.named_parameters()[2].first == "2.weight");
    // Equivalent to calling the layers by hand.
    const Tensor x = test::input({5, 4}, 1).detach();
    CHECK(allclose(net(x), (*moved)(relu((*lin)(x))), 1e-6, 1e-6));
}

TEST_CASE("Sequential: push_back with and without a name, empty forward is the identity") {
    nn::Sequential net;
    CHECK(net.empty());
    const Tensor x = tensor({1, 2});
    CHECK(net(x).is_same(x));
    net.push_back(Scale(2));
    net.push_back("shift", std::make_shared<Shift>(5));
    net.push_back(nn::Identity());
    CHECK(net.size() == 3);
    CHECK(net.named_children()[1].first == "shift");
    CHECK(net.named_children()[2].first == "2");
    CHECK_VALUES(net(x), {2}, {7, 9});
    CHECK_ERROR(ValueError, [&] { net.push_back("shift", Scale(1)); }, {"\"shift\"", "already"});
}

TEST_CASE("Sequential: nested Sequentials, printing and backward through them") {
    nn::Sequential net(nn::Sequential(nn::Linear(2, 2), nn::Tanh()), nn::Linear(2, 1, false));
    std::ostringstream os;
    os << net;
    CHECK(os.str() ==
          "Sequential(\n"
          "  (0): Sequential(\n"
          "    (0): Linear(in_features=2, out_features=2, bias=true)\n"
          "    (1): Tanh()\n"
          "  )\n"
          "  (1): Linear(in_features=2, out_features=1, bias=false)\n"
          ")");
    CHECK(net.named_parameters()[1].first == "0.0.bias");
    net(tensor({1, 2}, {1, 2})).sum().backward();
    for (const Tensor& p : net.parameters()) CHECK(p.grad().defined());
}

TEST_CASE("an error inside a Sequential names the layer's index and type") {
    nn::Sequential net(nn::Linear(7, 5), nn::ReLU(), nn::Linear(10, 2));
    CHECK_ERROR(ShapeError,
                [&] {
                    net(zeros({4, 7}));
                },
                {"Sequential[2] (Linear): linear(): ", "(4, 5)"});
    nn::Sequential outer;
    outer.push_back("body", std::move(net));
    CHECK_ERROR(ShapeError,
                [&] {
                    outer(zeros({4, 7}));
                },
                {"Sequential[body] (Sequential): Sequential[2] (Linear): linear(): "});
}
